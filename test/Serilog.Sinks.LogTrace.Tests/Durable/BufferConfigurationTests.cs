using Microsoft.Extensions.Configuration;
using Serilog.Sinks.LogTrace.Durable;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Durable;

// bufferPath through the three ways users configure the sink; a folder that cannot be used fails at creation.
public class BufferConfigurationTests
{
    [Fact]
    public void BufferPathInCodeCreatesTheStore()
    {
        using var folder = new TempFolder();
        var path = folder.Combine("buffer");
        using (new LoggerConfiguration().WriteTo.LogTrace(Some.ApiKey, "http://127.0.0.1:9/v1/developers", bufferPath: path).CreateLogger())
        {
            Assert.True(System.IO.File.Exists(Path.Combine(path, SqliteEventStore.FileName)));
        }
    }

    [Fact]
    public void BufferPathFromAppSettingsExpandsEnvironmentVariables()
    {
        using var folder = new TempFolder();
        const string variable = "LOGTRACE_TEST_BUFFER_ROOT";
        Environment.SetEnvironmentVariable(variable, folder.Path);
        try
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Serilog:Using:0"] = "Serilog.Sinks.LogTrace",
                ["Serilog:WriteTo:0:Name"] = "LogTrace",
                ["Serilog:WriteTo:0:Args:apiKey"] = Some.ApiKey,
                ["Serilog:WriteTo:0:Args:endpoint"] = "http://127.0.0.1:9/v1/developers",
                ["Serilog:WriteTo:0:Args:bufferPath"] = "%" + variable + "%/from-settings",
                ["Serilog:WriteTo:0:Args:bufferSizeLimitBytes"] = "2097152",
            }).Build();

            using (new LoggerConfiguration().ReadFrom.Configuration(configuration).CreateLogger())
            {
                Assert.True(System.IO.File.Exists(folder.Combine("from-settings", SqliteEventStore.FileName)));
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public void AnUnsetVariableInTheBufferPathFailsNamingIt()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new LoggerConfiguration().WriteTo.LogTrace(Some.ApiKey, bufferPath: "%LOGTRACE_TEST_NOT_SET_ANYWHERE%/buffer"));
        Assert.Contains("LOGTRACE_TEST_NOT_SET_ANYWHERE", error.Message);
        Assert.Equal("bufferPath", error.ParamName);
    }

    [Fact]
    public void AnUnwritableBufferPathFailsAtCreationNamingThePath()
    {
        using var folder = new TempFolder();
        System.IO.File.WriteAllText(folder.Combine("a-file"), "not a folder");
        var path = folder.Combine("a-file", "buffer");

        var error = Assert.Throws<ArgumentException>(() =>
            new LoggerConfiguration().WriteTo.LogTrace(Some.ApiKey, "http://127.0.0.1:9/v1/developers", bufferPath: path));
        Assert.Contains(path, error.Message);
        Assert.DoesNotContain(Some.ApiKey, error.Message);
    }

    [Fact]
    public void AnInvalidBufferPathFailsAtCreationNamingIt()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new LoggerConfiguration().WriteTo.LogTrace(Some.ApiKey, bufferPath: "buffer\0here"));
        Assert.Equal("bufferPath", error.ParamName);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1024 * 1024 - 1)]
    public void ABufferSizeLimitUnderOneMebibyteIsRefused(long limit)
    {
        using var folder = new TempFolder();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new LoggerConfiguration().WriteTo.LogTrace(Some.ApiKey, bufferPath: folder.Path, bufferSizeLimitBytes: limit));
        Assert.Equal("bufferSizeLimitBytes", error.ParamName);
    }

    [Fact]
    public void WithoutBufferPathNothingIsWritten()
    {
        using var folder = new TempFolder();
        using (new LoggerConfiguration().WriteTo.LogTrace(Some.ApiKey, "http://127.0.0.1:9/v1/developers").CreateLogger())
        {
        }
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Path));
    }

    [Fact]
    public void ALoggerRefusedForItsHandlerLeavesTheBufferFolderUsableAtOnce()
    {
        // The store holds its file exclusively: a refused configuration must close it, not leave it to the GC, or the
        // corrected configuration in the same process would wait for the lock and fail.
        using var folder = new TempFolder();
        using var redirecting = new HttpClientHandler { AllowAutoRedirect = true };
        var refused = Assert.Throws<ArgumentException>(() => new LoggerConfiguration()
            .WriteTo.LogTrace(Some.ApiKey, "http://127.0.0.1:9/v1/developers", messageHandler: redirecting, bufferPath: folder.Path));
        Assert.Equal("messageHandler", refused.ParamName);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        using (new LoggerConfiguration().WriteTo.LogTrace(Some.ApiKey, "http://127.0.0.1:9/v1/developers", bufferPath: folder.Path).CreateLogger())
        {
        }
        // SQLite would give up on a held lock after its 30 s busy timeout.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "the folder was still locked: " + clock.Elapsed);
    }
}
