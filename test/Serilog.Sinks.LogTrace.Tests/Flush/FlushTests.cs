using Microsoft.Extensions.Time.Testing;
using Serilog.Core;
using Serilog.Sinks.LogTrace.Pipeline;
using Serilog.Sinks.LogTrace.Testing;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Flush;

// A flush waits for the records logged before it, as far as the service (or the durable buffer), against a real
// LogTrace-compatible server on loopback. Each test flushes its own sink (SinkFlush over it alone): other tests' sinks
// are live in the same process. FlushAppSettingsTests goes through LogTraceStatus.FlushAsync itself.
public class FlushTests
{
    static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    // The sink WriteTo.LogTrace built for this server (its endpoint is the server's own port).
    internal static LogTraceSink SinkFor(LogTraceTestServer server) =>
        LiveSinks.All().Single(s => s.Endpoint == new Uri(server.Endpoint).ToString());

    static Logger Logger(LogTraceTestServer server, Action<LogTraceSinkOptions>? configure = null) =>
        new LoggerConfiguration().WriteTo.LogTrace(o =>
        {
            o.ApiKey = Some.ApiKey;
            o.Endpoint = server.Endpoint;
            configure?.Invoke(o);
        }).CreateLogger();

    static void LogEvents(ILogger logger, string name, int count)
    {
        for (var i = 0; i < count; i++)
            logger.ForContext(LogTraceProperties.EventName, name).ForContext(LogTraceProperties.UserName, "jane").Information("Number {N}", i);
    }

    static Task<LogTraceFlushResult> Flush(LogTraceSink sink, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        SinkFlush.FlushAsync(new[] { sink }, timeout, cancellationToken);

    // A sink on a fake clock whose requests stall is closed without waiting for them: the deadline passes on that clock.
    static void CloseOnFakeClock(Logger logger, LogTraceSink sink, FakeTimeProvider time)
    {
        sink.BeginShutdown();
        time.Advance(TimeSpan.FromHours(1));
        logger.Dispose();
    }

    // A sink on a fake clock whose server answers every request with one fault (by default it holds each request
    // open): what a flush cannot finish. Disposed on that clock (CloseOnFakeClock), then the server.
    sealed class StalledSink : IAsyncDisposable
    {
        StalledSink(LogTraceTestServer server, FakeTimeProvider time, Logger logger)
        {
            Server = server;
            Time = time;
            Logger = logger;
            Sink = SinkFor(server);
        }

        public LogTraceTestServer Server { get; }
        public FakeTimeProvider Time { get; }
        public Logger Logger { get; }
        public LogTraceSink Sink { get; }

        // fault, times: the server's FaultSchedule; rateLimit: whether it also enforces its rate limit.
        public static async Task<StalledSink> StartAsync(string fault = "stall", int times = 10, bool rateLimit = true)
        {
            var server = await LogTraceTestServer.StartAsync(new LogTraceTestServerOptions
            {
                FaultSchedule = Enumerable.Repeat(fault, times).ToList(),
                RateLimitEnabled = rateLimit,
            });
            var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
            return new StalledSink(server, time, FlushTests.Logger(server, o => o.TimeProvider = time));
        }

        // The records logged so far have left the queue for the senders, which the server holds.
        public Task WithTheSendersAsync() =>
            Eventually.TrueAsync(() => Sink.Outbox.OldestUndelivered() != null && Sink.Queue.OldestWaiting() == null, "the records are with the senders");

        public async ValueTask DisposeAsync()
        {
            CloseOnFakeClock(Logger, Sink, Time);
            await Server.DisposeAsync();
        }
    }

    [Fact]
    public async Task AFlushReturnsOnceTheRecordsLoggedBeforeItHaveArrived()
    {
        await using var server = await LogTraceTestServer.StartAsync(new LogTraceTestServerOptions { RateLimitEnabled = false });
        using var logger = Logger(server);
        var sink = SinkFor(server);

        LogEvents(logger, "flush.arrived", 5);
        var result = await Flush(sink, Long);

        // Arrived when the flush returned, not later: nothing is awaited on the server's side.
        Assert.Equal(5, server.Records.Count);
        Assert.True(result.Completed);
        Assert.Equal(0, result.Remaining);
        Assert.Equal(1, result.Sinks);
        Assert.Equal(5, sink.Counters.Sent);
        // Nothing was disposed: the sink goes on delivering.
        LogEvents(logger, "flush.after", 1);
        Assert.True((await Flush(sink, Long)).Completed);
        Assert.Equal(6, server.Records.Count);
    }

    [Fact]
    public async Task AFlushWithNothingLoggedCompletesAtOnce()
    {
        await using var server = await LogTraceTestServer.StartAsync();
        using var logger = Logger(server);

        var result = await Flush(SinkFor(server), TimeSpan.Zero);

        Assert.True(result.Completed);
        Assert.Equal(0, result.Remaining);
    }

    // The service holds every request open: the flush returns at its timeout, on the sink's clock, with what remains,
    // and does not throw. The records are not given up: they are still counted as queued.
    [Fact]
    public async Task WithTheServerStallingAFlushReturnsAtTheTimeoutWithWhatRemains()
    {
        await using var stalled = await StalledSink.StartAsync();
        var (server, time, sink) = (stalled.Server, stalled.Time, stalled.Sink);
        LogEvents(stalled.Logger, "flush.stalled", 3);
        var flush = Flush(sink, TimeSpan.FromSeconds(5));
        time.Advance(TimeSpan.FromSeconds(4));
        await stalled.WithTheSendersAsync();
        Assert.False(flush.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(1));
        var result = await flush;

        Assert.False(result.Completed);
        Assert.Equal(3, result.Remaining);
        Assert.Empty(server.Records);
        Assert.Equal(3, sink.Counters.Queued);
        Assert.Equal(0, sink.Counters.Lost);
    }

    // Answers to retry (503, with backoff) and a rate-limit pause (429 with Retry-After, which pauses every sender):
    // the flush does not hurry them, and returns at its timeout saying how many remain.
    [Theory]
    [InlineData("503")]
    [InlineData("429:600")]
    public async Task WithTheServerRefusingForNowAFlushReturnsAtTheTimeoutWithWhatRemains(string fault)
    {
        await using var refusing = await StalledSink.StartAsync(fault, 100, rateLimit: false);
        var (server, time, sink) = (refusing.Server, refusing.Time, refusing.Sink);
        LogEvents(refusing.Logger, "flush.refused", 2);
        var flush = Flush(sink, TimeSpan.FromSeconds(30));
        // Both refusals handled by the sink, not only answered by the server: a record whose answer is still being
        // read when the clock moves 30 s would have waited 30 s already, and a 600 s pause on top of that is past
        // the ten-minute retry limit (lost as retry_limit, which is right, but not what this test is about).
        await Eventually.TrueAsync(() => server.Requests.Count >= 2 && sink.Counters.Retries >= 2,
            "the service has refused both records once, and the sink has planned both retries");
        Assert.False(flush.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(30));
        var result = await flush;

        Assert.False(result.Completed);
        Assert.Equal(2, result.Remaining);
        Assert.Empty(server.Records);
        Assert.Equal(0, sink.Counters.Lost);
    }

    // A refused key fails a record in memory at once (unauthorized, counted): it is settled, so the flush does not wait
    // for it.
    [Fact]
    public async Task ARecordLostDuringTheFlushCountsAsSettled()
    {
        await using var server = await LogTraceTestServer.StartAsync(new LogTraceTestServerOptions { ApiKeys = { "lg_another0123456789abcdef0123456789" } });
        using var logger = Logger(server);
        var sink = SinkFor(server);

        LogEvents(logger, "flush.refused.key", 3);
        var result = await Flush(sink, Long);

        Assert.True(result.Completed);
        Assert.Equal(0, result.Remaining);
        Assert.Equal(3, sink.Counters.LostFor(Serilog.Sinks.LogTrace.Accounting.LossReason.Unauthorized));
        Assert.Empty(server.Records);
    }

    // With the durable buffer a record is settled once it is on disk: the flush returns while the service holds every
    // request open, and the records wait in the buffer.
    [Fact]
    public async Task WithTheDurableBufferAFlushReturnsOnceTheRecordsAreOnDiskNotDelivered()
    {
        using var folder = new TempFolder();
        await using var server = await LogTraceTestServer.StartAsync(new LogTraceTestServerOptions
        {
            FaultSchedule = Enumerable.Repeat("stall", 10).ToList(),
        });
        var logger = Logger(server, o =>
        {
            o.BufferPath = folder.Path;
            o.ShutdownTimeout = TimeSpan.FromMilliseconds(200);
        });
        try
        {
            var sink = SinkFor(server);
            LogEvents(logger, "flush.buffered", 4);

            var result = await Flush(sink, Long);

            Assert.True(result.Completed);
            Assert.Equal(0, result.Remaining);
            Assert.Equal(4, sink.Status(false).Buffered);
            Assert.Empty(server.Records);
            Assert.Equal(0, sink.Counters.Sent);
        }
        finally
        {
            logger.Dispose();
        }
    }

    // Records logged after the call, even while the flush waits, are not part of it: the service answers the first
    // three and then holds every request open, and the flush returns after the three.
    [Fact]
    public async Task LoggingDuringAFlushDoesNotExtendIt()
    {
        await using var server = await LogTraceTestServer.StartAsync(new LogTraceTestServerOptions
        {
            FaultSchedule = new[] { "ok", "ok", "ok" }.Concat(Enumerable.Repeat("stall", 50)).ToList(),
            RateLimitEnabled = false,
        });
        var logger = Logger(server, o =>
        {
            // One request at a time, in the order logged: the fourth record is the first to stall.
            o.MaxConcurrentRequests = 1;
            o.ShutdownTimeout = TimeSpan.FromMilliseconds(200);
        });
        try
        {
            var sink = SinkFor(server);
            LogEvents(logger, "flush.before", 3);
            var flush = Flush(sink, Long);
            long later = 0;
            while (!flush.IsCompleted && later < 5_000)
            {
                LogEvents(logger, "flush.during", 1);
                later++;
                await Task.Delay(1);
            }

            var result = await flush;

            Assert.True(result.Completed);
            Assert.Equal(0, result.Remaining);
            Assert.Equal(new[] { "flush.before" }, server.Records.Select(r => r.Name).Distinct());
            Assert.Equal(3, server.Records.Count);
            Assert.True(later > 0, "records were logged while the flush waited");
        }
        finally
        {
            logger.Dispose();
        }
    }

    // A record logged inside an HTTP request waits for the request to end (for its status code): the flush waits with
    // it, and the record goes with the request's final status, not released early.
    [Fact]
    public async Task AFlushWaitsForARecordHeldForItsRequestAndDoesNotReleaseItEarly()
    {
        await using var server = await LogTraceTestServer.StartAsync(new LogTraceTestServerOptions { RateLimitEnabled = false });
        using var logger = Logger(server);
        var sink = SinkFor(server);
        var request = new TestCompletion(TimeSpan.FromMinutes(5));

        LogEvents(logger, "flush.outside", 1);
        LogTraceRequestContext.Current = request;
        try
        {
            LogEvents(logger, "flush.inside", 1);
        }
        finally
        {
            LogTraceRequestContext.Current = null;
        }
        var flush = Flush(sink, Long);
        await server.WaitForRecordsAsync(1, Long);
        // The sink has heard the answer too: only the held record is left.
        await Eventually.TrueAsync(() => sink.Counters.Sent == 1, "the record outside the request is delivered");
        Assert.False(flush.IsCompleted);
        Assert.Equal(1, (await Flush(sink, TimeSpan.Zero)).Remaining);

        request.Complete(201, TimeSpan.FromMilliseconds(40));
        var result = await flush;

        Assert.True(result.Completed);
        var inside = Assert.Single(server.Records, r => r.Name == "flush.inside");
        Assert.Equal(201, inside.Body.GetProperty("request_details").GetProperty("http_status_code").GetInt32());
    }

    [Fact]
    public async Task ACancelledFlushThrowsAndANegativeTimeoutIsRefusedAtTheCall()
    {
        await using var server = await LogTraceTestServer.StartAsync(new LogTraceTestServerOptions
        {
            FaultSchedule = Enumerable.Repeat("stall", 10).ToList(),
        });
        var logger = Logger(server, o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(200));
        try
        {
            var sink = SinkFor(server);
            LogEvents(logger, "flush.cancelled", 1);
            using var cancel = new CancellationTokenSource();
            var flush = Flush(sink, Long, cancel.Token);
            cancel.Cancel();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => flush);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Flush(sink, Long, cancel.Token));
            var negative = Assert.Throws<ArgumentOutOfRangeException>(() => { _ = LogTraceStatus.FlushAsync(TimeSpan.FromMilliseconds(-2)); });
            Assert.Equal("timeout", negative.ParamName);
            Assert.Contains("The LogTrace flush's timeout must be zero (to see what remains now), more, or Timeout.InfiniteTimeSpan.", negative.Message);
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = LogTraceStatus.FlushAsync(TimeSpan.FromTicks(-1)); });
        }
        finally
        {
            logger.Dispose();
        }
    }

    // A timer takes at most a day (Clock.MaxDelay): a longer timeout is waited in turns, each measured from the call,
    // so the flush returns at its own timeout, not at the first day. The clock moves an hour at a time.
    [Fact]
    public async Task ATimeoutOfMoreThanADayIsWaitedInFull()
    {
        await using var stalled = await StalledSink.StartAsync();
        LogEvents(stalled.Logger, "flush.days", 2);
        var flush = Flush(stalled.Sink, TimeSpan.FromDays(3));
        await stalled.WithTheSendersAsync();
        await AdvanceHoursAsync(stalled.Time, 3 * 24 - 1);
        Assert.False(flush.IsCompleted);

        stalled.Time.Advance(TimeSpan.FromHours(1));
        var result = await flush.WaitAsync(Long);

        Assert.False(result.Completed);
        Assert.Equal(2, result.Remaining);
    }

    // Timeout.InfiniteTimeSpan and TimeSpan.MaxValue wait until the records settle or the token is cancelled, past
    // any number of days.
    [Theory]
    [InlineData(-1L)]
    [InlineData(long.MaxValue)]
    public async Task AnInfiniteTimeoutWaitsUntilCancelled(long milliseconds)
    {
        await using var stalled = await StalledSink.StartAsync();
        LogEvents(stalled.Logger, "flush.forever", 1);
        using var cancel = new CancellationTokenSource();
        var flush = Flush(stalled.Sink, milliseconds == long.MaxValue ? TimeSpan.MaxValue : Timeout.InfiniteTimeSpan, cancel.Token);
        await AdvanceHoursAsync(stalled.Time, 5 * 24);
        Assert.False(flush.IsCompleted);

        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => flush.WaitAsync(Long));
    }

    // Moves the fake clock an hour at a time, letting the flush's continuations run between the steps.
    static async Task AdvanceHoursAsync(FakeTimeProvider time, int hours)
    {
        for (var i = 0; i < hours; i++)
        {
            time.Advance(TimeSpan.FromHours(1));
            await Task.Delay(1);
        }
    }
}
