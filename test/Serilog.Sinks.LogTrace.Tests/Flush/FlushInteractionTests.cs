using Serilog.Core;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Pipeline;
using Serilog.Sinks.LogTrace.Testing;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Flush;

// The flush with the other outcomes a record can have before any request: dropped or failed by the before-send hook,
// made invalid by it, redacted, written by a dry run. Each is settled, in memory and with the durable buffer, so a
// flush never waits for it until its timeout.
public class FlushInteractionTests
{
    static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    static Logger Logger(LogTraceTestServer server, Action<LogTraceSinkOptions> configure) =>
        new LoggerConfiguration().WriteTo.LogTrace(o =>
        {
            o.ApiKey = Some.ApiKey;
            o.Endpoint = server.Endpoint;
            configure(o);
        }).CreateLogger();

    static bool Hook(LogTraceOutgoingRecord record) => record.Body["name"]!.GetValue<string>() switch
    {
        "dropped" => false,
        "failed" => throw new InvalidOperationException("no tenant"),
        "invalid" => record.Body.Remove("name") && true,
        _ => true,
    };

    static void Log(ILogger logger, string name) =>
        logger.ForContext(LogTraceProperties.EventName, name).ForContext(LogTraceProperties.UserName, "jane")
            .ForContext("Password", "hunter2").Information("Reset {Password}", "hunter2");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RecordsTheHookDropsFailsOrMakesInvalidAreSettled(bool durable)
    {
        using var folder = new TempFolder();
        await using var server = await LogTraceTestServer.StartAsync(new LogTraceTestServerOptions { RateLimitEnabled = false });
        using var logger = Logger(server, o =>
        {
            o.BeforeSend = Hook;
            if (durable)
                o.BufferPath = folder.Path;
        });
        var sink = FlushTests.SinkFor(server);

        foreach (var name in new[] { "dropped", "failed", "invalid", "sent" })
            Log(logger, name);
        var result = await SinkFlush.FlushAsync(new[] { sink }, Long, CancellationToken.None);

        Assert.True(result.Completed);
        Assert.Equal(0, result.Remaining);
        Assert.Equal(1, sink.Counters.LostFor(LossReason.DroppedByHook));
        Assert.Equal(1, sink.Counters.LostFor(LossReason.HookFailed));
        Assert.Equal(1, sink.Counters.LostFor(LossReason.Invalid));
        Assert.Equal(0, sink.Counters.QueuedBytes);
    }

    [Fact]
    public async Task ADryRunsRedactedRecordsAreSettledWhenWritten()
    {
        await using var server = await LogTraceTestServer.StartAsync();
        var output = new StringWriter();
        using var logger = Logger(server, o =>
        {
            o.DryRun = true;
            o.DryRunOutput = output;
            o.BeforeSend = Hook;
        });
        var sink = FlushTests.SinkFor(server);

        foreach (var name in new[] { "dropped", "failed", "invalid", "sent" })
            Log(logger, name);
        var result = await SinkFlush.FlushAsync(new[] { sink }, Long, CancellationToken.None);

        Assert.True(result.Completed);
        var line = Assert.Single(output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("\"name\":\"sent\"", line);
        Assert.DoesNotContain("hunter2", line);
        Assert.DoesNotContain(Some.ApiKey, line);
        Assert.Empty(server.Records);
    }
}
