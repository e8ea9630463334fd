using Microsoft.Extensions.Time.Testing;
using Serilog.Sinks.LogTrace.Http;
using Serilog.Sinks.LogTrace.Sending;

namespace Serilog.Sinks.LogTrace.Tests.Delivery;

// An answer wakes a sender waiting for its turn by itself, not only the waiter's own timer: the fake clock never moves
// here, so a lost wake-up would hang until the real-time deadline.
public class RateLimitPacerWakeUpTests
{
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    static LogTraceResponse Answer(int status, int remaining, DateTimeOffset reset) => RateLimitPacerTests.Answer(status, remaining, reset);

    // The clock never moves: only the probe's answer can end the waiter's 250 ms poll.
    [Fact]
    public async Task TheProbesAnswerWakesAWaiterWithoutTheClockMoving()
    {
        var pacer = new RateLimitPacer(_time);
        pacer.Complete(await pacer.WaitForTurnAsync(default), Answer(202, 0, _time.GetUtcNow().AddSeconds(10)));
        _time.Advance(TimeSpan.FromSeconds(11));
        var probe = await pacer.WaitForTurnAsync(default);
        Assert.True(probe.Probe);
        var waiter = pacer.WaitForTurnAsync(default);
        Assert.False(waiter.IsCompleted);

        pacer.Complete(probe, Answer(202, 5, _time.GetUtcNow().AddSeconds(60)));

        Assert.False((await waiter.WaitAsync(Deadline)).Probe);
    }

    // A waiter that cancels leaves the signal "taken"; the next waiter must still be woken.
    [Fact]
    public async Task AfterACancelledWaiterTheNextWaiterIsStillWoken()
    {
        var pacer = new RateLimitPacer(_time);
        pacer.Complete(await pacer.WaitForTurnAsync(default), Answer(202, 0, _time.GetUtcNow().AddSeconds(10)));
        _time.Advance(TimeSpan.FromSeconds(11));
        var probe = await pacer.WaitForTurnAsync(default);
        using (var cts = new CancellationTokenSource())
        {
            var cancelled = pacer.WaitForTurnAsync(cts.Token);
            cts.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Deadline));
        }
        var waiter = pacer.WaitForTurnAsync(default);
        pacer.Complete(probe, Answer(202, 5, _time.GetUtcNow().AddSeconds(60)));
        Assert.False((await waiter.WaitAsync(Deadline)).Probe);
    }

    // Waiter and Complete race on two threads; the clock never moves, so a lost wake-up hangs the waiter.
    [Fact]
    public async Task NoLostWakeUpWhenAWaiterAndAnAnswerRace()
    {
        for (var i = 0; i < 2000; i++)
        {
            var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
            var pacer = new RateLimitPacer(time);
            pacer.Complete(await pacer.WaitForTurnAsync(default), Answer(202, 0, time.GetUtcNow().AddSeconds(10)));
            time.Advance(TimeSpan.FromSeconds(11));
            var probe = await pacer.WaitForTurnAsync(default);
            Assert.True(probe.Probe);
            using var start = new Barrier(2);
            var waiterTask = Task.Run(() => { start.SignalAndWait(); return pacer.WaitForTurnAsync(default); });
            var completer = Task.Run(() => { start.SignalAndWait(); pacer.Complete(probe, Answer(202, 5, time.GetUtcNow().AddSeconds(60))); });
            await completer.WaitAsync(Deadline);
            var turn = await waiterTask.WaitAsync(Deadline);
            Assert.False(turn.Probe);
        }
    }

    // A pause without any rate-limit headers (503 + Retry-After) must end the fast path.
    [Fact]
    public async Task A503RetryAfterWithoutLimitHeadersHoldsTheNextTurnAfterFastTurns()
    {
        var pacer = new RateLimitPacer(_time);
        var a = await pacer.WaitForTurnAsync(default);
        var b = await pacer.WaitForTurnAsync(default);
        pacer.Complete(a, new LogTraceResponse(202, null));
        pacer.Complete(b, new LogTraceResponse(503, null, default, RetryAfter.After(TimeSpan.FromSeconds(30))));
        Assert.False(pacer.WaitForTurnAsync(default).IsCompleted);
    }
}
