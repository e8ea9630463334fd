using Serilog.Sinks.LogTrace.Http;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Status;

// What the status says about when things happened: the time a delivery or a loss happened stays that time as the
// sink's clock moves on, and a record's age is never negative.
public class SinkStatusTimingTests
{
    [Fact]
    public async Task TheLastDeliveryAndTheLastLossKeepTheirTimeAsTheClockMovesOn()
    {
        var api = new CollectingLogTraceApi(body => Task.FromResult(body.GetProperty("name").GetString() == "bad.one"
            ? new LogTraceResponse(400, "name is not allowed")
            : new LogTraceResponse(202, null)));
        await using var harness = new SinkHarness(api);
        harness.Time.Advance(TimeSpan.FromMinutes(3));
        await harness.EmitAsync(Some.Event("user.login"), Some.Event("bad.one"));
        await harness.SettledAsync(2);

        var first = harness.Sink.Status(false);
        Assert.Equal(1, first.Sent);
        Assert.Equal(1, first.Lost["rejected"]);
        var delivered = first.LastDelivery!.Value;
        var rejected = first.LastLost["rejected"];

        harness.Time.Advance(TimeSpan.FromMinutes(7));
        var later = harness.Sink.Status(false);
        Assert.Equal(first.TakenAt + TimeSpan.FromMinutes(7), later.TakenAt);
        Assert.Equal(delivered, later.LastDelivery);
        Assert.Equal(rejected, later.LastLost["rejected"]);
        Assert.InRange(delivered, Some.Timestamp + TimeSpan.FromMinutes(3), first.TakenAt);
        Assert.InRange(rejected, Some.Timestamp + TimeSpan.FromMinutes(3), first.TakenAt);
    }

    [Fact]
    public async Task ARecordStampedAheadOfTheClockIsNoOlderThanZero()
    {
        await using var harness = new SinkHarness(CollectingLogTraceApi.Stalled());
        var ahead = Some.Event("user.login");
        ahead = Some.At(ahead, ahead.Timestamp + TimeSpan.FromHours(1));
        await harness.EmitAsync(ahead);
        await Eventually.TrueAsync(() => harness.Api.InFlight == 1, "the record is in flight");

        Assert.Equal(TimeSpan.Zero, harness.Sink.Status(false).OldestUndeliveredAge);
        harness.Time.Advance(TimeSpan.FromMinutes(90));
        Assert.Equal(TimeSpan.FromMinutes(30), harness.Sink.Status(false).OldestUndeliveredAge);
    }

    [Fact]
    public async Task MisspeltMarkersAreListedInOrdinalOrder()
    {
        await using var harness = new SinkHarness();
        // Spellings of "eventname" by case alone: a set this size comes out of a hash table in no particular order.
        var names = Enumerable.Range(1, 24)
            .Select(i => new string("eventname".Select((c, bit) => (i >> bit & 1) == 1 ? char.ToUpperInvariant(c) : c).ToArray()))
            .ToArray();
        foreach (var name in names)
            harness.Sink.Emit(Some.LogEvent(properties: new[] { Some.Prop(name, "x") }));

        var status = harness.Sink.Status(false);
        Assert.Equal(names.OrderBy(n => n, StringComparer.Ordinal), status.MisspeltMarkers);
    }

    [Fact]
    public async Task ARecordWaitingInTheQueueBehindTheFormatterCountsWhenItIsTheOldest()
    {
        using var gate = new ManualResetEventSlim();
        var held = new HeldValue(gate);
        await using var harness = new SinkHarness(CollectingLogTraceApi.Stalled(), o => o.MaxConcurrentRequests = 1);
        try
        {
            await harness.EmitAsync(Backdated(Some.Event("in.flight"), TimeSpan.FromMinutes(20)));
            await Eventually.TrueAsync(() => harness.Api.InFlight == 1, "the first record is in flight");
            // The formatter stops on this record's property until the gate opens: the next record waits in the queue.
            await harness.EmitAsync(Some.Event("being.formatted", properties: new[] { Some.Prop("Held", held) }));
            await Eventually.TrueAsync(() => held.Entered, "the formatter is held");
            var waiting = Backdated(Some.Event("waiting"), TimeSpan.FromMinutes(50));
            await harness.EmitAsync(waiting);
            Assert.Equal(waiting.Timestamp, harness.Sink.Queue.OldestWaiting());

            var status = harness.Sink.Status(false);
            Assert.Equal(3, status.Queued);
            Assert.Equal(TimeSpan.FromMinutes(50), status.OldestUndeliveredAge);
        }
        finally
        {
            gate.Set();
        }
    }

    [Fact]
    public async Task ARecordTheOutboxHasNotTakenYetCountsAlone()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Some.Timestamp);
        var options = new LogTraceSinkOptions { ApiKey = Some.ApiKey, Endpoint = "https://logtrace.example/v1/developers", TimeProvider = time };
        var sink = new Serilog.Sinks.LogTrace.Pipeline.LogTraceSink(Serilog.Sinks.LogTrace.Configuration.LogTraceSinkSettings.Create(options, _ => null),
            text => text, _ => new IdleOutbox());
        try
        {
            sink.Emit(Backdated(Some.Event("user.login"), TimeSpan.FromMinutes(4)));
            Assert.NotNull(sink.Queue.OldestWaiting());

            var status = sink.Status(false);
            Assert.Equal(1, status.Queued);
            Assert.Equal(TimeSpan.FromMinutes(4), status.OldestUndeliveredAge);
        }
        finally
        {
            sink.BeginShutdown();
            time.Advance(TimeSpan.FromHours(1));
            await sink.DisposeSinkAsync();
        }
    }

    // A record held for its request is in no line: it is undelivered all the same, and the oldest here.
    [Fact]
    public async Task ARecordHeldForItsRequestCounts()
    {
        await using var harness = new SinkHarness(CollectingLogTraceApi.Stalled());
        var request = new TestCompletion(TimeSpan.FromMinutes(30));
        await harness.EmitAsync(TestCompletion.In(Backdated(Some.Event("in.request"), TimeSpan.FromMinutes(20)), request));
        await Eventually.TrueAsync(() => harness.Sink.Queue.Late.Oldest != null && harness.Sink.Queue.OldestWaiting() == null, "the record is held, out of the line");

        var status = harness.Sink.Status(false);
        Assert.Equal(1, status.Queued);
        Assert.Equal(TimeSpan.FromMinutes(20), status.OldestUndeliveredAge);
        Assert.Equal(0, harness.Api.InFlight);
    }

    // Put back after its request, a record waits at the end of the outbox's line behind one logged after it: the
    // line's head is not the oldest. Once a sender has it, it no longer counts late, and its slot shows it.
    [Fact]
    public async Task ARecordPutBackAfterItsRequestCountsBehindNewerOnes()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var harness = new SinkHarness(new CollectingLogTraceApi(async (_, cancellationToken) =>
        {
            await open.Task.WaitAsync(cancellationToken);
            return new LogTraceResponse(202, null);
        }), o => o.MaxConcurrentRequests = 1);
        var outbox = (Serilog.Sinks.LogTrace.Pipeline.MemoryOutbox)harness.Sink.Outbox;
        var request = new TestCompletion(TimeSpan.FromHours(1));
        await harness.EmitAsync(Some.Event("in.flight"));
        await Eventually.TrueAsync(() => harness.Api.InFlight == 1, "the first record is in flight");
        await harness.EmitAsync(TestCompletion.In(Backdated(Some.Event("late"), TimeSpan.FromMinutes(40)), request), Some.Event("newer"));
        await Eventually.TrueAsync(() => outbox.WaitingToBeSent == 1, "the newer record waits for the sender");

        request.Complete(200, TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(() => outbox.WaitingToBeSent == 2, "the late record waits behind it");

        Assert.Equal(TimeSpan.FromMinutes(40), harness.Sink.Status(false).OldestUndeliveredAge);
        Assert.Equal(Some.Timestamp - TimeSpan.FromMinutes(40), harness.Sink.Queue.Late.Oldest);

        // Delivered, nothing is left counted late.
        open.SetResult();
        await harness.SettledAsync(3);
        Assert.Null(harness.Sink.Queue.Late.Oldest);
        Assert.Null(harness.Sink.Status(false).OldestUndeliveredAge);
    }

    // An outbox that takes nothing from the queue: what the status sees before the outbox has taken a record.
    sealed class IdleOutbox : Serilog.Sinks.LogTrace.Pipeline.Outbox
    {
        public override Task Completion => Task.CompletedTask;

        public override DateTimeOffset? OldestUndelivered() => null;

        public override void OnAbandoned(long unfinished)
        {
        }

        public override void Close()
        {
        }
    }

    static Serilog.Events.LogEvent Backdated(Serilog.Events.LogEvent e, TimeSpan by) => Some.At(e, e.Timestamp - by);

    // A property value whose text is read only by the formatter, off the application's thread, and waits for the gate.
    sealed class HeldValue
    {
        readonly ManualResetEventSlim _gate;
        volatile bool _entered;

        public HeldValue(ManualResetEventSlim gate) => _gate = gate;

        public bool Entered => _entered;

        public override string ToString()
        {
            _entered = true;
            _gate.Wait(TimeSpan.FromSeconds(30));
            return "held";
        }
    }
}
