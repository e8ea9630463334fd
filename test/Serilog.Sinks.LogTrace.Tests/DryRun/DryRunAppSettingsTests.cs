using System.Text;
using Microsoft.Extensions.Configuration;
using Serilog.Sinks.LogTrace.Sending;
using Serilog.Sinks.LogTrace.Testing;
using Serilog.Sinks.LogTrace.Tests.Flush;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.DryRun;

// "dryRun": true in appsettings.json, with no key anywhere: the records go to SelfLog, the server sees nothing.
// SelfLog and the environment are process-wide: the collection that runs alone.
[Collection(SelfLogCollection.Name)]
public class DryRunAppSettingsTests
{
    [Fact]
    public async Task ADryRunFromAppSettingsWritesToSelfLogWithoutAKeyAndSendsNothing()
    {
        await using var server = await LogTraceTestServer.StartAsync();
        using var selfLog = new SelfLogCollector();
        var before = Environment.GetEnvironmentVariable("LOGTRACE_API_KEY");
        Environment.SetEnvironmentVariable("LOGTRACE_API_KEY", null);
        try
        {
            var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes($$"""
                {
                  "Serilog": {
                    "Using": [ "Serilog.Sinks.LogTrace" ],
                    "WriteTo": [ { "Name": "LogTrace", "Args": { "endpoint": "{{server.Endpoint}}", "dryRun": true } } ]
                  }
                }
                """))).Build();
            using var logger = new LoggerConfiguration().ReadFrom.Configuration(configuration).CreateLogger();
            var sink = FlushTests.SinkFor(server);

            logger.ForContext(LogTraceProperties.EventName, "from.appsettings").ForContext(LogTraceProperties.UserId, "u-1").Information("Dry");
            var result = await Serilog.Sinks.LogTrace.Pipeline.SinkFlush.FlushAsync(new[] { sink }, TimeSpan.FromSeconds(30), default);

            Assert.True(result.Completed);
            var line = Assert.Single(selfLog.Lines, l => l.Contains(DryRunOutput.Prefix));
            Assert.Contains(DryRunOutput.Prefix + server.Endpoint + "/events {\"name\":\"from.appsettings\"", line);
            Assert.Contains(selfLog.Lines, l => l.Contains("LogTrace: dry run: records are formatted and checked as for sending, then written to SelfLog; " +
                "nothing is sent to " + new Uri(server.Endpoint)));
            Assert.Equal(1, sink.Status(false).DryRunRecords);
            Assert.Empty(server.Requests);
        }
        finally
        {
            Environment.SetEnvironmentVariable("LOGTRACE_API_KEY", before);
        }
    }

    [Fact]
    public void AtStartSelfLogSaysWhereADryRunWritesAndThatNothingIsSent()
    {
        using var selfLog = new SelfLogCollector();
        var endpoint = "https://dry-" + Guid.NewGuid().ToString("N") + ".example/v1/developers";
        using (new LoggerConfiguration().WriteTo.LogTrace(o =>
               {
                   o.ApiKey = Some.ApiKey;
                   o.Endpoint = endpoint;
                   o.DryRun = true;
                   o.DryRunOutput = new StringWriter();
               }).CreateLogger())
        {
        }

        Assert.Contains("LogTrace: dry run: records are formatted and checked as for sending, then written to the dry run's output " +
            "(DryRunOutput); nothing is sent to " + endpoint, selfLog.Text);
        Assert.DoesNotContain(Some.ApiKey, selfLog.Text);
    }

    // A dry run sends nothing, so it needs no key; one that is given is checked as for sending.
    [Fact]
    public void ADryRunNeedsNoKeyButAGivenKeyIsStillChecked()
    {
        var before = Environment.GetEnvironmentVariable("LOGTRACE_API_KEY");
        Environment.SetEnvironmentVariable("LOGTRACE_API_KEY", null);
        try
        {
            NoKeyIsNeededOnlyInADryRun();
        }
        finally
        {
            Environment.SetEnvironmentVariable("LOGTRACE_API_KEY", before);
        }
    }

    static void NoKeyIsNeededOnlyInADryRun()
    {
        using (new LoggerConfiguration().WriteTo.LogTrace(dryRun: true, endpoint: "https://dry-" + Guid.NewGuid().ToString("N") + ".example/v1/developers").CreateLogger())
        {
        }
        Assert.Throws<InvalidOperationException>(() => new LoggerConfiguration().WriteTo.LogTrace(
            endpoint: "https://dry-" + Guid.NewGuid().ToString("N") + ".example/v1/developers"));

        var ex = Assert.Throws<ArgumentException>(() => new LoggerConfiguration().WriteTo.LogTrace(apiKey: "Bearer " + Some.ApiKey, dryRun: true));
        Assert.Equal("apiKey", ex.ParamName);
    }
}
