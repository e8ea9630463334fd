using LogTrace.Collector;
using Serilog.Sinks.LogTrace.Pipeline;
using Serilog.Sinks.LogTrace.Configuration;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Sending;
using Serilog.Sinks.LogTrace.Tests.Support;
using static Serilog.Sinks.LogTrace.Tests.Support.CollectorHelpers;

namespace Serilog.Sinks.LogTrace.Tests.Integration;

// The whole pipeline against a service that answers and stalls, or redirects elsewhere. These read SelfLog.
[Collection(SelfLogCollection.Name)]
public class HostileServiceTests
{
    static (Serilog.Core.ILogEventSink Pipeline, LogTraceSink Sink) Pipeline(RunningCollector collector, Action<LogTraceSinkOptions> configure)
    {
        var options = new LogTraceSinkOptions { ApiKey = ApiKey, Endpoint = collector.DevelopersEndpoint, Period = TimeSpan.FromMilliseconds(20) };
        configure(options);
        var sink = LogTraceLoggerConfigurationExtensions.CreatePipeline(LogTraceSinkSettings.Create(options, _ => null));
        return (sink, sink);
    }

    [Fact]
    public async Task AnErrorAnswerWhoseBodyStallsDoesNotHoldShutdownPastItsTimeout()
    {
        await using var collector = await LogTraceCollector.StartAsync(new CollectorOptions
        {
            ApiKeys = { ApiKey },
            RateLimitEnabled = false,
            FaultSchedule = Enumerable.Repeat("stall-body", 100).ToList(),
        });
        var (pipeline, sink) = Pipeline(collector, o =>
        {
            o.RequestTimeout = TimeSpan.FromSeconds(2);
            o.ShutdownTimeout = TimeSpan.FromSeconds(3);
        });
        var fallback = new CollectingSink();
        using var selfLog = new SelfLogCollector();

        var logger = new LoggerConfiguration().WriteTo.FallbackChain(wt => wt.Sink(pipeline), wt => wt.Sink(fallback)).CreateLogger();
        for (var i = 0; i < 6; i++)
            logger.ForContext(LogTraceProperties.EventName, "stalled." + i).Information("Stalled");
        await Eventually.TrueAsync(() => collector.Store.Requests.Count > 0, "a request reached the service");

        // The collector never ends those bodies: only the sink's own timeouts can end this.
        await logger.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(6, sink.Counters.Lost);
        Assert.Equal(0, sink.Counters.Sent);
        Assert.Equal(6, fallback.Events.Count);
        Assert.Contains(selfLog.Lines, l => l.Contains("events could not be delivered within the shutdown timeout of 00:00:03"));
    }

    [Fact]
    public async Task ARedirectToAnotherHostSendsNothingThereAndIsReportedAsAConfigurationError()
    {
        await using var elsewhere = await StartAsync();
        await using var collector = await LogTraceCollector.StartAsync(new CollectorOptions
        {
            ApiKeys = { ApiKey },
            RateLimitEnabled = false,
            FaultSchedule = Enumerable.Repeat("307>" + elsewhere.DevelopersEndpoint + "/events", 100).ToList(),
        });
        var (pipeline, sink) = Pipeline(collector, o => o.MaxConcurrentRequests = 1);
        using var selfLog = new SelfLogCollector();

        using (var logger = new LoggerConfiguration().WriteTo.Sink(pipeline).CreateLogger())
        {
            for (var i = 0; i < 10; i++)
                logger.ForContext(LogTraceProperties.EventName, "user.login").Information("Signed in");
        }

        Assert.Empty(elsewhere.Store.Requests);
        Assert.Equal(0, sink.Counters.Sent);
        Assert.Equal(10, sink.Counters.LostFor(LossReason.Unauthorized));
        // One request found out; the rest failed without asking again, like a 401.
        Assert.Single(collector.Store.Requests);
        var first = selfLog.Lines[0];
        Assert.Contains("status 307: a redirect to " + elsewhere.DevelopersEndpoint + "/events", first);
        Assert.Contains("never follows a redirect", first);
        Assert.Equal(2, selfLog.Lines.Count);
        Assert.DoesNotContain(ApiKey, selfLog.Text);
    }
}
