using System.Reflection;
using Microsoft.Extensions.Configuration;
using Serilog.Sinks.LogTrace.Records;
using Serilog.Sinks.LogTrace.Tests.Support;
using static Serilog.Sinks.LogTrace.Tests.Support.CollectorHelpers;

namespace Serilog.Sinks.LogTrace.Tests.Configuration;

// Environment variables are process-wide: these tests run in the collection that runs alone.
[Collection(SelfLogCollection.Name)]
public class AppSettingsTests
{
    [Fact]
    public async Task AnAppSettingsFileConfiguresTheSinkIncludingEnvironmentExpansion()
    {
        await using var collector = await StartAsync();
        Environment.SetEnvironmentVariable("LOGTRACE_TESTS_API_KEY", ApiKey);
        try
        {
            var configuration = new ConfigurationBuilder()
                .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "Configuration", "appsettings.logtrace.json"))
                // The collector's port is only known now; everything else comes from the file.
                .AddInMemoryCollection(new Dictionary<string, string?> { ["Serilog:WriteTo:0:Args:endpoint"] = collector.DevelopersEndpoint })
                .Build();

            using (var logger = new LoggerConfiguration().ReadFrom.Configuration(configuration).CreateLogger())
            {
                logger.ForContext(LogTraceProperties.EventName, "below.minimum").Debug("Filtered by restrictedToMinimumLevel");
                logger.ForContext(LogTraceProperties.EventName, "password.reset").Information("Reset for {Email}", "jane.doe@example.com");
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable("LOGTRACE_TESTS_API_KEY", null);
        }

        var request = Assert.Single(collector.Store.Requests);
        Assert.Equal(202, request.Status); // the expanded key was accepted
        var body = request.Json();
        Assert.Equal("password.reset", body.GetProperty("name").GetString());
        Assert.Equal("from-appsettings", body.GetProperty("type").GetString());
        Assert.Equal("appsettings-user", body.GetProperty("username").GetString());
        Assert.Equal("jane.doe@example" + LogTraceRedaction.TruncationMarker, body.GetProperty("metadata").GetProperty("Email").GetString());
    }

    [Fact]
    public void AnUnsetKeyVariableInAppSettingsFailsFastAndSaysWhich()
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "Configuration", "appsettings.logtrace.json"))
            .Build();

        var ex = Assert.Throws<TargetInvocationException>(() => new LoggerConfiguration().ReadFrom.Configuration(configuration));

        Assert.IsType<InvalidOperationException>(ex.InnerException);
        Assert.Contains("LOGTRACE_TESTS_API_KEY", ex.InnerException!.Message);
    }

    [Fact]
    public void AnInvalidLimitInAppSettingsFailsFast()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Serilog:Using:0"] = "Serilog.Sinks.LogTrace",
                ["Serilog:WriteTo:0:Name"] = "LogTrace",
                ["Serilog:WriteTo:0:Args:apiKey"] = ApiKey,
                ["Serilog:WriteTo:0:Args:queueLimit"] = "0",
            })
            .Build();

        var ex = Assert.Throws<TargetInvocationException>(() => new LoggerConfiguration().ReadFrom.Configuration(configuration));

        var inner = Assert.IsType<ArgumentOutOfRangeException>(ex.InnerException);
        Assert.Equal("queueLimit", inner.ParamName);
    }

    [Fact]
    public async Task WithNoArgumentsTheSinkReadsTheKeyAndEndpointFromTheEnvironment()
    {
        await using var collector = await StartAsync();
        Environment.SetEnvironmentVariable("LOGTRACE_API_KEY", ApiKey);
        Environment.SetEnvironmentVariable("LOGTRACE_ENDPOINT", collector.DevelopersEndpoint);
        try
        {
            Log.Logger = new LoggerConfiguration().WriteTo.LogTrace().CreateLogger();
            Log.ForContext(LogTraceProperties.EventName, "user.login").Information("Signed in");
            Log.CloseAndFlush();
        }
        finally
        {
            Environment.SetEnvironmentVariable("LOGTRACE_API_KEY", null);
            Environment.SetEnvironmentVariable("LOGTRACE_ENDPOINT", null);
        }

        Assert.Equal(202, Assert.Single(collector.Store.Requests).Status);
    }

    [Fact]
    public async Task AWrongKeyIsReportedOnSelfLogWithTheServicesMessageAndWithoutTheKey()
    {
        await using var collector = await StartAsync();
        const string wrongKey = "lg_ffffffffffffffffffffffffffffffff";
        using var selfLog = new SelfLogCollector();

        using (var logger = new LoggerConfiguration().WriteTo.LogTrace(wrongKey, collector.DevelopersEndpoint).CreateLogger())
            logger.ForContext(LogTraceProperties.EventName, "user.login").Information("Signed in");

        Assert.Contains(selfLog.Lines, l => l.Contains("401") && l.Contains("API key not found") && l.Contains("user.login"));
        Assert.DoesNotContain(wrongKey, selfLog.Text);
    }

    [Fact]
    public void AnUnreachableServiceIsReportedWithoutTheKeyAndDoesNotHangShutdown()
    {
        using var selfLog = new SelfLogCollector();

        // Port 1 on loopback: nothing listens there, so the connection is refused at once. The sink retries until
        // the shutdown timeout, then gives up and says so in one line.
        using (var logger = new LoggerConfiguration()
                   .WriteTo.LogTrace(ApiKey, "http://127.0.0.1:1/v1/developers", shutdownTimeout: TimeSpan.FromSeconds(1))
                   .CreateLogger())
            logger.ForContext(LogTraceProperties.EventName, "user.login").Information("Signed in");

        var line = Assert.Single(selfLog.Lines);
        Assert.Contains("1 event could not be delivered within the shutdown timeout", line);
        Assert.Contains("HttpRequestException", line);
        Assert.DoesNotContain(ApiKey, selfLog.Text);
    }
}
