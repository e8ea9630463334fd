using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Http;
using Serilog.Sinks.LogTrace.Pipeline;
using Serilog.Sinks.LogTrace.Tests.Support;
using static Serilog.Sinks.LogTrace.Tests.Support.Some;

namespace Serilog.Sinks.LogTrace.Tests.Pipeline;

// The memory outbox at the edges of a record's life: while it is being formatted (the oldest undelivered record is
// that one), when the shutdown's deadline passes before it is formatted or sent, and the summary line at the end.
[Collection(SelfLogCollection.Name)]
public class MemoryOutboxShutdownTests
{
    const string ShutdownDetail = "could not be sent before the shutdown timeout";

    // A before-send hook that holds the formatting loop until it is released.
    sealed class HeldHook : IDisposable
    {
        public readonly ManualResetEventSlim Entered = new();
        public readonly ManualResetEventSlim Release = new();

        public bool Run(LogTraceOutgoingRecord record)
        {
            Entered.Set();
            Release.Wait(TimeSpan.FromSeconds(30));
            return true;
        }

        public void Dispose()
        {
            Release.Set();
            Entered.Dispose();
            Release.Dispose();
        }
    }

    [Fact]
    public async Task ARecordBeingFormattedIsTheOldestUndelivered()
    {
        using var hook = new HeldHook();
        await using var harness = new SinkHarness(CollectingLogTraceApi.Stalled(), o => o.BeforeSend = hook.Run);
        var outbox = (MemoryOutbox)harness.Sink.Outbox;
        Assert.Null(outbox.OldestUndelivered());

        harness.Sink.Emit(Event("user.login"));
        Assert.True(hook.Entered.Wait(TimeSpan.FromSeconds(10)), "the hook was called");

        Assert.Equal(0, outbox.WaitingToBeSent);
        Assert.Equal(Timestamp.ToUniversalTime(), outbox.OldestUndelivered());
        hook.Release.Set();
    }

    [Fact]
    public async Task RecordsTheDeadlineOvertakesBeforeTheyAreFormattedOrSentAreShutdownLossesAndFinished()
    {
        using var hook = new HeldHook();
        var harness = new SinkHarness(CollectingLogTraceApi.Stalled(), o => o.BeforeSend = hook.Run);
        harness.Sink.Emit(Event("first"));
        Assert.True(hook.Entered.Wait(TimeSpan.FromSeconds(10)), "the hook was called");
        harness.Sink.Emit(Event("second"));
        harness.Sink.Emit(Event("third"));

        // The deadline passes while the first is in the hook and the others wait to be formatted.
        harness.Sink.BeginShutdown();
        harness.Time.Advance(TimeSpan.FromHours(1));
        hook.Release.Set();
        await harness.Sink.DisposeSinkAsync();

        Assert.Equal(3, harness.Counters.LostFor(LossReason.Shutdown));
        Assert.Equal(0, harness.Counters.Queued);
        Assert.Equal(0, harness.Counters.QueuedBytes);
        Assert.Empty(harness.Api.Requests);
        Assert.Equal(3, harness.Failures.Failures.Count);
        Assert.All(harness.Failures.Failures, f => Assert.EndsWith(ShutdownDetail, f.Message));
    }

    [Fact]
    public async Task TheSummaryAtShutdownCountsByKindAndSaysTheLastFailure()
    {
        using var selfLog = new SelfLogCollector();
        var answered = 0;
        var api = new CollectingLogTraceApi(async (_, cancellationToken) =>
        {
            if (Interlocked.Increment(ref answered) == 1)
                return new LogTraceResponse(503, "busy");
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return new LogTraceResponse(202, null);
        });
        var harness = new SinkHarness(api, o =>
        {
            o.MaxConcurrentRequests = 1;
            o.ShutdownTimeout = TimeSpan.FromSeconds(2);
        }, listen: false);
        harness.Sink.Emit(Event("user.login"));
        await Eventually.TrueAsync(() => Volatile.Read(ref answered) == 1, "the first answer (503) is given");
        harness.Sink.Emit(AuditLog());

        // Past the shutdown timeout, well inside the retry time limit: both are shutdown losses.
        harness.Sink.BeginShutdown();
        harness.Time.Advance(TimeSpan.FromSeconds(3));
        await harness.Sink.DisposeSinkAsync();

        var line = Assert.Single(selfLog.Lines, l => l.Contains("could not be delivered within the shutdown timeout", StringComparison.Ordinal));
        Assert.True(line.Contains(" LogTrace: 2 records (1 event, 1 audit log) could not be delivered within the shutdown timeout of 00:00:02 and were dropped; sent in all: 0; the last failure: ", StringComparison.Ordinal),
            string.Join(" | ", selfLog.Lines));
        Assert.Contains("503", line);
    }

    [Fact]
    public async Task TheSummaryWithoutAFailureEndsWithTheSentCount()
    {
        using var selfLog = new SelfLogCollector();
        var harness = new SinkHarness(CollectingLogTraceApi.Stalled(), o => o.ShutdownTimeout = TimeSpan.FromSeconds(2), listen: false);
        harness.Sink.Emit(Event("user.login"));
        await Eventually.TrueAsync(() => harness.Api.InFlight == 1, "the request is in flight");

        await harness.DisposeAsync();

        var line = Assert.Single(selfLog.Lines, l => l.Contains("could not be delivered within the shutdown timeout", StringComparison.Ordinal));
        Assert.EndsWith("within the shutdown timeout of 00:00:02 and were dropped; sent in all: 0", line);
    }

    [Fact]
    public async Task NothingLostAtShutdownSaysNoSummary()
    {
        using var selfLog = new SelfLogCollector();
        var harness = new SinkHarness(configure: o => o.ShutdownTimeout = TimeSpan.FromSeconds(2), listen: false);
        harness.Sink.Emit(Event("user.login"));
        await Eventually.TrueAsync(() => harness.Counters.Sent == 1, "the record is sent");

        await harness.DisposeAsync();

        Assert.DoesNotContain(selfLog.Lines, l => l.Contains("within the shutdown timeout", StringComparison.Ordinal));
    }
}
