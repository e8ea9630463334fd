using Microsoft.Extensions.Time.Testing;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Configuration;
using Serilog.Sinks.LogTrace.Http;
using Serilog.Sinks.LogTrace.Pipeline;
using Serilog.Sinks.LogTrace.Records;
using Serilog.Sinks.LogTrace.Tests.Support;
using static Serilog.Sinks.LogTrace.Tests.Support.Some;

namespace Serilog.Sinks.LogTrace.Tests.Pipeline;

// The memory outbox's side of a hand-over (MemoryOutbox.HandOverAsync, used by the held buffer's takeover): the records
// formatted and waiting go to the taker, what it leaves goes back to the senders, and what cannot go back is counted.
// Also: the arrays the bodies wait in go back to the pool when nothing waits.
[Collection(SelfLogCollection.Name)]
public class MemoryOutboxHandOverTests
{
    // A sink whose memory outbox stops taking from the queue when `stop` is cancelled, as the held buffer's is.
    sealed class Rig : IAsyncDisposable
    {
        int _ids;

        public Rig(CollectingLogTraceApi api, CancellationToken stop, CountingPool? pool = null)
        {
            Api = api;
            var options = new LogTraceSinkOptions
            {
                ApiKey = Some.ApiKey,
                Endpoint = "https://logtrace.example/v1/developers",
                TimeProvider = Time,
                MaxConcurrentRequests = 1,
                ShutdownTimeout = TimeSpan.FromSeconds(1),
            };
            if (pool != null)
                options.BodyPool = pool;
            var settings = LogTraceSinkSettings.Create(options, _ => null);
            var formatter = new LogTraceEventFormatter(settings, () => "event-" + Interlocked.Increment(ref _ids));
            Sink = new LogTraceSink(settings, formatter.Text.RedactSecret, parts => new MemoryOutbox(parts, api, formatter, stop, ownsApi: true));
            Sink.SetFailureListener(Failures);
        }

        public FakeTimeProvider Time { get; } = new(Timestamp);

        public CollectingLogTraceApi Api { get; }

        public LogTraceSink Sink { get; }

        public MemoryOutbox Outbox => (MemoryOutbox)Sink.Outbox;

        public CollectingFailureListener Failures { get; } = new();

        public async ValueTask DisposeAsync()
        {
            Sink.BeginShutdown();
            Time.Advance(TimeSpan.FromHours(1));
            await Sink.DisposeSinkAsync();
        }
    }

    static CollectingLogTraceApi Gated(TaskCompletionSource open) => new(async (_, cancellationToken) =>
    {
        await open.Task.WaitAsync(cancellationToken);
        return new LogTraceResponse(202, null);
    });

    [Fact]
    public async Task WhatTheTakerLeavesGoesBackToTheSendersAndWhatItTakesIsItsOwn()
    {
        using var stop = new CancellationTokenSource();
        var open = new TaskCompletionSource();
        await using var rig = new Rig(Gated(open), stop.Token);
        for (var i = 0; i < 5; i++)
            rig.Sink.Emit(Event("e" + i));
        await Eventually.TrueAsync(() => rig.Api.InFlight == 1 && rig.Outbox.WaitingToBeSent == 4, "one record is in flight, four wait");

        stop.Cancel();
        var given = new List<string>();
        await rig.Outbox.HandOverAsync(waiting =>
        {
            given.AddRange(waiting.Select(r => r.Name));
            foreach (var taken in waiting.Take(3))
            {
                rig.Sink.Ledger.Buffered(taken);
                taken.Body.Release();
            }
            return waiting.Skip(3).ToList();
        });

        Assert.Equal(new[] { "e1", "e2", "e3", "e4" }, given);
        Assert.Equal(1, rig.Outbox.WaitingToBeSent);
        open.SetResult();
        await Eventually.TrueAsync(() => rig.Sink.Counters.Sent == 2, "the record in flight and the one left are sent");
        Assert.Equal(new[] { "e0", "e4" }, rig.Api.Bodies.Select(b => b.GetProperty("name").GetString()));
        // The senders end once what was left is sent: the outbox is done.
        await rig.Outbox.Completion.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ATakerThatThrowsLeavesEveryRecordToTheSenders()
    {
        using var selfLog = new SelfLogCollector();
        using var stop = new CancellationTokenSource();
        var open = new TaskCompletionSource();
        await using var rig = new Rig(Gated(open), stop.Token);
        for (var i = 0; i < 3; i++)
            rig.Sink.Emit(Event("e" + i));
        await Eventually.TrueAsync(() => rig.Api.InFlight == 1 && rig.Outbox.WaitingToBeSent == 2, "one record is in flight, two wait");

        stop.Cancel();
        await rig.Outbox.HandOverAsync(_ => throw new InvalidOperationException("the disk is gone"));

        Assert.Contains(selfLog.Lines, l => l.EndsWith("LogTrace: an unexpected error while handing records over to the durable buffer " +
            "(InvalidOperationException); they are sent from memory", StringComparison.Ordinal));
        open.SetResult();
        await Eventually.TrueAsync(() => rig.Sink.Counters.Sent == 3, "every record is sent from memory");
        Assert.Equal(0, rig.Sink.Counters.Lost);
    }

    // The queue completed (a shutdown) before the hand-over began: the formatting loop completed the channel, so the
    // records the taker leaves cannot go back. They are counted lost at shutdown, told to the listener, and their
    // bytes given back.
    [Fact]
    public async Task RecordsThatCannotGoBackToTheSendersAreCountedLost()
    {
        using var stop = new CancellationTokenSource();
        var pool = new CountingPool();
        var rig = new Rig(CollectingLogTraceApi.Stalled(), stop.Token, pool);
        for (var i = 0; i < 4; i++)
            rig.Sink.Emit(Event("e" + i));
        await Eventually.TrueAsync(() => rig.Api.InFlight == 1 && rig.Outbox.WaitingToBeSent == 3, "one record is in flight, three wait");

        rig.Sink.BeginShutdown();
        rig.Sink.Queue.Close();
        await rig.Outbox.FormatLoop.WaitAsync(TimeSpan.FromSeconds(10));
        stop.Cancel();
        await rig.Outbox.HandOverAsync(waiting => waiting);

        Assert.Equal(3, rig.Sink.Counters.LostFor(LossReason.Shutdown));
        Assert.Equal(0, rig.Outbox.WaitingToBeSent);
        Assert.Equal(3, rig.Failures.Failures.Count(f => f.Message.Contains("could not be handed back to the senders because the sink was shutting down")));
        // Only the record in flight still holds its array.
        await rig.DisposeAsync();
        Assert.Equal(4, rig.Sink.Counters.LostFor(LossReason.Shutdown));
        Assert.Equal(pool.Rented, pool.Returned);
    }

    // After a hand-over the summary at shutdown counts this outbox's own losses, by kind: not what the taker lost (the
    // other outbox says its own).
    [Fact]
    public async Task AfterAHandOverTheSummaryCountsOnlyThisOutboxsOwnLossesByKind()
    {
        using var selfLog = new SelfLogCollector();
        using var stop = new CancellationTokenSource();
        var rig = new Rig(CollectingLogTraceApi.Stalled(), stop.Token);
        rig.Sink.Emit(Event("e0"));
        rig.Sink.Emit(Event("e1"));
        rig.Sink.Emit(Event("e2"));
        rig.Sink.Emit(AuditLog());
        await Eventually.TrueAsync(() => rig.Api.InFlight == 1 && rig.Outbox.WaitingToBeSent == 3, "one record is in flight, three wait");

        stop.Cancel();
        await rig.Outbox.HandOverAsync(waiting =>
        {
            // The taker takes the first and loses it at shutdown itself.
            rig.Sink.Ledger.Lost(waiting[0], LossReason.Shutdown, "was lost by the taker", null);
            waiting[0].Body.Release();
            return waiting.Skip(1).ToList();
        });
        await rig.DisposeAsync();

        Assert.Equal(4, rig.Sink.Counters.LostFor(LossReason.Shutdown));
        var line = Assert.Single(selfLog.Lines, l => l.Contains("could not be delivered within the shutdown timeout", StringComparison.Ordinal));
        Assert.Contains(" LogTrace: 3 records (2 events, 1 audit log) could not be delivered within the shutdown timeout of 00:00:01 and were dropped; sent in all: 0", line);
    }

    // Once the formatting loop has nothing more to format, the array it was filling goes back as soon as its bodies
    // are sent: an idle sink holds none.
    [Fact]
    public async Task AnIdleOutboxHoldsNoArrayOfBodies()
    {
        var pool = new CountingPool();
        await using var harness = new SinkHarness(configure: o => o.BodyPool = pool);
        await harness.EmitAsync(Event("a"), Event("b"));
        await harness.SettledAsync(2);

        await Eventually.TrueAsync(() => pool.Rented > 0 && pool.Returned == pool.Rented, "the array goes back while the sink is idle");
    }
}
