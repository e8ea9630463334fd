using LogTrace.Collector;
using Microsoft.Extensions.Time.Testing;
using Serilog.Sinks.LogTrace.Pipeline;
using Serilog.Core;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Configuration;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Sending;
using Serilog.Sinks.LogTrace.Tests.Support;
using static Serilog.Sinks.LogTrace.Tests.Support.CollectorHelpers;

namespace Serilog.Sinks.LogTrace.Tests.Integration;

// The whole pipeline (the LogTrace sink, its queue, the senders, HttpClient) against the collector on
// 127.0.0.1, with the collector's rate limiter and fault injection. Backoff and pacing waits run on a fake clock
// that the test moves forward; HTTP timeouts are real and short.
public class DeliveryIntegrationTests
{
    static (ILogEventSink Pipeline, LogTraceSink Sink) Pipeline(RunningCollector collector, TimeProvider time, Action<LogTraceSinkOptions>? configure = null)
    {
        var options = new LogTraceSinkOptions
        {
            ApiKey = ApiKey,
            Endpoint = collector.DevelopersEndpoint,
            Period = TimeSpan.FromMilliseconds(20),
            TimeProvider = time,
        };
        configure?.Invoke(options);
        var sink = LogTraceLoggerConfigurationExtensions.CreatePipeline(LogTraceSinkSettings.Create(options, _ => null));
        return (sink, sink);
    }

    static void LogEvents(ILogger logger, IEnumerable<string> names)
    {
        foreach (var name in names)
            logger.ForContext(LogTraceProperties.EventName, name).Information("Event {Name}", name);
    }

    [Fact]
    public async Task ABurstOf250AgainstTheServicesLimitOf100PerMinuteIsDeliveredWithoutA429()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        // The collector's defaults are the service's: 100 requests per 60 s sliding window, per client IP.
        await using var collector = await LogTraceCollector.StartAsync(new CollectorOptions { ApiKeys = { ApiKey }, TimeProvider = time });
        var (pipeline, sink) = Pipeline(collector, time);
        var names = Enumerable.Range(0, 250).Select(i => "burst." + i).ToArray();

        using (var logger = new LoggerConfiguration().WriteTo.Sink(pipeline).CreateLogger())
        {
            LogEvents(logger, names);
            await time.AdvanceUntilAsync(() => collector.Store.Events.Count == 250, "all 250 events are stored", TimeSpan.FromMilliseconds(500));
        }

        Assert.Equal(names.ToHashSet(), collector.Store.Events.Select(e => e.Name()!).ToHashSet());
        Assert.True(collector.Store.Requests.Count(r => r.Status == 429) <= 1, "at most one 429");
        Assert.Equal(250, sink.Counters.Sent);
        Assert.Equal(0, sink.Counters.Lost);
        // It took the limiter's windows: 250 requests at 100 per minute cannot all land in the first two minutes.
        var received = collector.Store.Events.Select(e => e.ReceivedAt).ToArray();
        Assert.True(received.Max() - received.Min() >= TimeSpan.FromMinutes(2));
    }

    [Fact]
    public async Task EveryDeliverableEventIsDeliveredThroughFaultsAndOnlyThePoisonOnesAreLost()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var collector = await LogTraceCollector.StartAsync(new CollectorOptions
        {
            ApiKeys = { ApiKey },
            RateLimitEnabled = false,
            FaultSchedule = { "500", "503:5", "abort", "429", "stall", "502", "ok", "504", "408", "500" },
            RejectEventNames = { "poison" },
        });
        var (pipeline, sink) = Pipeline(collector, time, o =>
        {
            o.MaxConcurrentRequests = 2;
            o.RequestTimeout = TimeSpan.FromMilliseconds(500);
        });
        var fallback = new CollectingSink();
        var names = Enumerable.Range(0, 18).Select(i => "good." + i).Concat(new[] { "poison", "poison" }).ToArray();

        using (var logger = new LoggerConfiguration()
                   .WriteTo.FallbackChain(wt => wt.Sink(pipeline), wt => wt.Sink(fallback))
                   .CreateLogger())
        {
            LogEvents(logger, names);
            await time.AdvanceUntilAsync(() => sink.Counters.Sent + sink.Counters.Lost == 20, "every event is sent or lost", TimeSpan.FromSeconds(1));
        }

        // Each good event stored exactly once (no fault here stores before failing), every poison one handed over.
        Assert.Equal(names.Where(n => n != "poison").OrderBy(n => n), collector.Store.Events.Select(e => e.Name()).OrderBy(n => n));
        Assert.Equal(new[] { "\"poison\"", "\"poison\"" }, fallback.Events.Select(e => e.Properties[LogTraceProperties.EventName].ToString()));
        Assert.Equal(18, sink.Counters.Sent);
        Assert.Equal(2, sink.Counters.LostFor(LossReason.Rejected));
        Assert.Equal(2, sink.Counters.Lost);
        Assert.True(sink.Counters.Retries >= 9, "each of the nine faults was retried");
        Assert.Equal(1, sink.Counters.RateLimited);
        Assert.Equal(0, sink.Counters.Queued);
    }

    [Fact]
    public async Task ARetryAfterATimedOutRequestThatWasStoredCarriesTheSameEventId()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var collector = await LogTraceCollector.StartAsync(new CollectorOptions
        {
            ApiKeys = { ApiKey },
            RateLimitEnabled = false,
            FaultSchedule = { "stall-after-store" },
        });
        var (pipeline, sink) = Pipeline(collector, time, o =>
        {
            o.MaxConcurrentRequests = 1;
            o.RequestTimeout = TimeSpan.FromMilliseconds(300);
        });

        using (var logger = new LoggerConfiguration().WriteTo.Sink(pipeline).CreateLogger())
        {
            LogEvents(logger, new[] { "a", "b", "c" });
            await time.AdvanceUntilAsync(() => sink.Counters.Sent == 3, "three events are sent", TimeSpan.FromSeconds(1));
        }

        var stored = collector.Store.Events;
        Assert.Equal(4, stored.Count);
        var ids = stored.Select(e => e.Json().GetProperty("metadata").GetProperty("_event_id").GetString()).ToArray();
        Assert.Equal(3, ids.Distinct().Count());
        var duplicate = stored.GroupBy(e => e.Json().GetProperty("metadata").GetProperty("_event_id").GetString()).Single(g => g.Count() == 2);
        Assert.All(duplicate, e => Assert.Equal(duplicate.First().Name(), e.Name()));
    }
}

// These read SelfLog, which is process-wide.
[Collection(SelfLogCollection.Name)]
public class DeliveryReportingTests
{
    [Fact]
    public async Task CloseAndFlushReturnsAtTheShutdownTimeoutWhenTheServiceStallsAndAccountsForEveryEvent()
    {
        await using var collector = await LogTraceCollector.StartAsync(new CollectorOptions
        {
            ApiKeys = { ApiKey },
            RateLimitEnabled = false,
            FaultSchedule = Enumerable.Repeat("stall", 100).ToList(),
        });
        var options = new LogTraceSinkOptions { ApiKey = ApiKey, Endpoint = collector.DevelopersEndpoint, ShutdownTimeout = TimeSpan.FromSeconds(1) };
        var sink = LogTraceLoggerConfigurationExtensions.CreatePipeline(LogTraceSinkSettings.Create(options, _ => null));
        var pipeline = sink;
        var fallback = new CollectingSink();
        using var selfLog = new SelfLogCollector();

        var logger = new LoggerConfiguration().WriteTo.FallbackChain(wt => wt.Sink(pipeline), wt => wt.Sink(fallback)).CreateLogger();
        for (var i = 0; i < 10; i++)
            logger.ForContext(LogTraceProperties.EventName, "stalled." + i).Information("Stalled");
        // The service's 30 s request timeout would hold shutdown for minutes; the shutdown timeout of 1 s ends it.
        await Task.Run(logger.Dispose).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(10, sink.Counters.LostFor(LossReason.Shutdown));
        Assert.Equal(10, fallback.Events.Count);
        var line = Assert.Single(selfLog.Lines);
        Assert.Contains("10 events could not be delivered within the shutdown timeout of 00:00:01", line);
    }

    [Fact]
    public async Task AWrongKeyIsReportedOnceAndDoesNotHoldShutdown()
    {
        await using var collector = await LogTraceCollector.StartAsync(new CollectorOptions { ApiKeys = { ApiKey }, RateLimitEnabled = false });
        const string wrongKey = "lg_ffffffffffffffffffffffffffffffff";
        var options = new LogTraceSinkOptions { ApiKey = wrongKey, Endpoint = collector.DevelopersEndpoint };
        var sink = LogTraceLoggerConfigurationExtensions.CreatePipeline(LogTraceSinkSettings.Create(options, _ => null));
        var pipeline = sink;
        using var selfLog = new SelfLogCollector();

        using (var logger = new LoggerConfiguration().WriteTo.Sink(pipeline).CreateLogger())
        {
            for (var i = 0; i < 50; i++)
                logger.ForContext(LogTraceProperties.EventName, "user.login").Information("Signed in");
        }

        Assert.Equal(50, sink.Counters.LostFor(LossReason.Unauthorized));
        // The first answers stop the rest: at most one request per sender reached the service.
        Assert.InRange(collector.Store.Requests.Count, 1, LogTraceDefaults.MaxConcurrentRequests);
        var lines = selfLog.Lines;
        Assert.Contains("401", lines[0]);
        Assert.Contains("API key not found", lines[0]);
        // One line when it happened, one summary of the rest at shutdown: not one per event.
        Assert.Equal(2, lines.Count);
        Assert.Contains("49 more events lost (unauthorized)", lines[1]);
        Assert.DoesNotContain(wrongKey, selfLog.Text);
    }

    // A 404 is about the URL: the line names where the record was posted and, when the endpoint lacks the service's
    // /v1/developers, says so, instead of pointing at the key.
    [Fact]
    public async Task A404NamesTheUrlItPostedToAndAMissingDevelopersPath()
    {
        await using var collector = await LogTraceCollector.StartAsync(new CollectorOptions { ApiKeys = { ApiKey }, RateLimitEnabled = false });
        var root = collector.DevelopersEndpoint.Substring(0, collector.DevelopersEndpoint.IndexOf("/v1/developers", StringComparison.Ordinal));
        var sink = LogTraceLoggerConfigurationExtensions.CreatePipeline(LogTraceSinkSettings.Create(
            new LogTraceSinkOptions { ApiKey = ApiKey, Endpoint = root }, _ => null));
        using var selfLog = new SelfLogCollector();

        using (var logger = new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger())
            logger.ForContext(LogTraceProperties.EventName, "user.login").Information("Signed in");

        Assert.Equal(1, sink.Counters.LostFor(LossReason.Unauthorized));
        // (The collector does not list requests to routes it does not know.)
        var line = selfLog.Lines[0];
        Assert.Contains("status 404", line);
        Assert.Contains("no such route at POST " + root + "/events", line);
        Assert.Contains("the endpoint lacks /v1/developers", line);
        Assert.DoesNotContain("check the API key", line);
    }

    [Fact]
    public async Task QueueFullLinesAreRateLimitedAndSayHowManyWereDropped()
    {
        using var selfLog = new SelfLogCollector();
        var harness = new SinkHarness(configure: o => o.QueueLimit = 1);
        // SinkHarness gives the sink a failure listener; the SelfLog default is what is being tested here.
        harness.Sink.SetFailureListener(Serilog.Debugging.SelfLog.FailureListener);

        harness.Admit(Some.Event("kept"));
        for (var i = 0; i < 5; i++)
            harness.Admit(Some.Event("dropped"));
        Assert.Single(selfLog.Lines);

        harness.Time.Advance(LossReporter.Interval);
        harness.Admit(Some.Event("dropped"));

        Assert.Equal(6, harness.Counters.LostFor(LossReason.QueueFull));
        Assert.Equal(2, selfLog.Lines.Count);
        Assert.Contains("queueLimit", selfLog.Lines[0]);
        Assert.Contains("4 more events lost for the same reason since the previous line", selfLog.Lines[1]);
        Assert.Contains("6 LogTrace records lost in all", selfLog.Lines[1]);
        await harness.DisposeAsync();
    }
}
