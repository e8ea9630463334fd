using Microsoft.Extensions.Time.Testing;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Pipeline;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Pipeline;

// EventHold on its own: how long a record waits for its request, counted from the event's timestamp, and when the hold
// says that every held record is back.
public class EventHoldTests
{
    sealed class BrokenRequest() : LogTraceRequestContext(TimeSpan.FromSeconds(5))
    {
        public override Task Completed => throw new InvalidOperationException("no request here");

        public override int? StatusCode => null;

        public override TimeSpan? Duration => null;

        public override bool AddProperties(LogEvent logEvent) => true;
    }

    sealed class Hold
    {
        public readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));
        public readonly List<PendingRecord> Released = [];
        public int AllReleased;
        public readonly EventHold Sut;

        public Hold() => Sut = new EventHold(Time, r => { lock (Released) Released.Add(r); }, () => Interlocked.Increment(ref AllReleased));

        public int ReleasedCount
        {
            get { lock (Released) return Released.Count; }
        }

        public PendingRecord Record(LogTraceRequestContext request, TimeSpan age) =>
            new(new LogEvent(Time.GetUtcNow() - age, LogEventLevel.Information, null, MessageTemplate.Empty, []), null!, request, 100);
    }

    // An event logged 4 s ago, for a request that may take 5 s: it waits the 1 s left, not 5 s more.
    [Fact]
    public async Task AnEventWaitsWhatIsLeftOfItsRequestsWaitSinceItWasLogged()
    {
        var hold = new Hold();
        var request = new TestCompletion(TimeSpan.FromSeconds(5));

        var start = hold.Time.GetUtcNow();

        Assert.True(hold.Sut.TryHold(hold.Record(request, TimeSpan.FromSeconds(4)), default));
        await hold.Time.AdvanceUntilAsync(() => hold.ReleasedCount == 1, "the event is released", TimeSpan.FromMilliseconds(50));

        Assert.InRange(hold.Time.GetUtcNow() - start, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
    }

    // An integration may ask for any wait; no event is held longer than MaxHold (an hour).
    [Fact]
    public async Task NoEventIsHeldLongerThanAnHour()
    {
        var hold = new Hold();
        var start = hold.Time.GetUtcNow();

        Assert.True(hold.Sut.TryHold(hold.Record(new TestCompletion(TimeSpan.FromHours(3)), TimeSpan.Zero), default));
        await hold.Time.AdvanceUntilAsync(() => hold.ReleasedCount == 1, "the event is released", TimeSpan.FromMinutes(1));

        Assert.InRange(hold.Time.GetUtcNow() - start, EventHold.MaxHold, EventHold.MaxHold + TimeSpan.FromMinutes(2));
    }

    // A request context that throws costs the record its wait, never the record: it goes at once.
    [Fact]
    public void ARequestThatThrowsIsNotWaitedFor()
    {
        var hold = new Hold();

        Assert.False(hold.Sut.TryHold(new PendingRecord(
            new LogEvent(hold.Time.GetUtcNow(), LogEventLevel.Information, null, MessageTemplate.Empty, []), null!, new BrokenRequest(), 100), default));
    }

    // An event whose wait is already over (logged exactly MaxWait ago, or longer) is not held at all.
    [Fact]
    public void AnEventWhoseWaitIsOverIsNotHeld()
    {
        var hold = new Hold();
        var request = new TestCompletion(TimeSpan.FromSeconds(5));

        Assert.False(hold.Sut.TryHold(hold.Record(request, TimeSpan.FromSeconds(5)), default));
        Assert.False(hold.Sut.TryHold(hold.Record(request, TimeSpan.FromSeconds(6)), default));
        Assert.True(hold.Sut.TryHold(hold.Record(request, TimeSpan.FromSeconds(4)), default));
    }

    [Fact]
    public void NothingIsHeldOnceTheHoldIsClosed()
    {
        var hold = new Hold();
        hold.Sut.Close();

        Assert.False(hold.Sut.TryHold(hold.Record(new TestCompletion(TimeSpan.FromSeconds(5)), TimeSpan.Zero), default));
        Assert.Equal(1, hold.AllReleased);
    }

    // Closed with two records held: "all released" comes once, after the second, not after the first.
    [Fact]
    public async Task AllReleasedComesOnceAfterTheLastHeldRecord()
    {
        var hold = new Hold();
        var first = new TestCompletion(TimeSpan.FromSeconds(5));
        var second = new TestCompletion(TimeSpan.FromSeconds(5));
        Assert.True(hold.Sut.TryHold(hold.Record(first, TimeSpan.Zero), default));
        Assert.True(hold.Sut.TryHold(hold.Record(second, TimeSpan.Zero), default));

        hold.Sut.Close();
        hold.Sut.Close();
        first.Complete(200, TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(() => hold.ReleasedCount == 1, "the first is released");
        Assert.Equal(0, hold.AllReleased);
        second.Complete(200, TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(() => hold.AllReleased == 1, "all are released");

        Assert.Equal(2, hold.ReleasedCount);
        Assert.Equal(1, hold.AllReleased);
    }

    // Closing twice with nothing held says "all released" once.
    [Fact]
    public void ClosingTwiceSaysAllReleasedOnce()
    {
        var hold = new Hold();

        hold.Sut.Close();
        hold.Sut.Close();

        Assert.Equal(1, hold.AllReleased);
    }
}
