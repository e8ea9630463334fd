using Microsoft.Extensions.Time.Testing;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Sending;
using Serilog.Sinks.LogTrace.Http;

namespace Serilog.Sinks.LogTrace.Tests.Delivery;

// The pacer on a fake clock: a turn that is given at once completes synchronously, so "waits" is asserted as "the
// task is not complete", and a wait's end by advancing the clock and awaiting the turn with a real-time deadline.
public class RateLimitPacerTests
{
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    readonly RateLimitPacer _pacer;

    public RateLimitPacerTests() => _pacer = new RateLimitPacer(_time);

    DateTimeOffset Now => _time.GetUtcNow();

    internal static LogTraceResponse Answer(int status, int remaining, DateTimeOffset reset) =>
        new(status, null, new RateLimitHeaders(100, remaining, reset));

    static LogTraceResponse Answer(int status, RetryAfter retryAfter) =>
        new(status, null, default, retryAfter);

    RateLimitPacer.Turn Immediate()
    {
        var turn = _pacer.WaitForTurnAsync(CancellationToken.None);
        Assert.True(turn.IsCompletedSuccessfully, "a turn should have been given at once");
        return turn.GetAwaiter().GetResult();
    }

    Task<RateLimitPacer.Turn> Waiting()
    {
        var turn = _pacer.WaitForTurnAsync(CancellationToken.None);
        Assert.False(turn.IsCompleted, "the turn should have had to wait");
        return turn;
    }

    // How many turns are given at once before one has to wait.
    int ImmediateTurnsUntilOneWaits(int atMost = 50)
    {
        for (var i = 0; i < atMost; i++)
        {
            if (!_pacer.WaitForTurnAsync(CancellationToken.None).IsCompleted)
                return i;
        }
        return atMost;
    }

    [Fact]
    public void WithoutRateLimitHeadersNothingWaits()
    {
        for (var i = 0; i < 20; i++)
            Assert.False(Immediate().Probe);
    }

    [Fact]
    public void TheBudgetShrinksAsRequestsGoOut()
    {
        _pacer.Complete(Immediate(), Answer(202, remaining: 2, reset: Now.AddSeconds(60)));

        Immediate();
        Immediate();
        Waiting();
    }

    [Fact]
    public void CompleteReleasesTheInFlightCount()
    {
        // Once the only request is complete nothing is in flight, so the whole Remaining is the budget.
        _pacer.Complete(Immediate(), Answer(202, remaining: 3, reset: Now.AddSeconds(60)));

        Assert.Equal(3, ImmediateTurnsUntilOneWaits());
    }

    [Fact]
    public void RequestsStillInFlightAreTakenOffTheBudget()
    {
        var first = Immediate();
        Immediate();
        _pacer.Complete(first, Answer(202, remaining: 3, reset: Now.AddSeconds(60)));

        // The second request may not be in the service's count yet.
        Assert.Equal(2, ImmediateTurnsUntilOneWaits());
    }

    [Fact]
    public void AnAnswerArrivingOutOfOrderOnlyLowersTheBudget()
    {
        var a = Immediate();
        var b = Immediate();
        Immediate();
        _pacer.Complete(a, Answer(202, remaining: 10, reset: Now.AddSeconds(60))); // 10 - 2 in flight
        _pacer.Complete(b, Answer(202, remaining: 20, reset: Now.AddSeconds(60))); // 20 - 1, but never higher

        Assert.Equal(8, ImmediateTurnsUntilOneWaits());
    }

    [Fact]
    public async Task AnExhaustedBudgetWaitsUntilOneSecondAfterTheResetThenSendsAProbe()
    {
        _pacer.Complete(Immediate(), Answer(202, remaining: 0, reset: Now.AddSeconds(10)));

        var next = Waiting();
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.False(next.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.True((await next.WaitAsync(Deadline)).Probe);
    }

    [Fact]
    public async Task WhenTheBudgetIsExhaustedOnlyOneProbeIsInFlightAtATime()
    {
        _pacer.Complete(Immediate(), Answer(202, remaining: 0, reset: Now.AddSeconds(10)));
        _time.Advance(TimeSpan.FromSeconds(11));

        var probe = Immediate();
        Assert.True(probe.Probe);
        var second = Waiting();
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(second.IsCompleted);

        // The probe's answer is the new budget, even though it is higher than before.
        _pacer.Complete(probe, Answer(202, remaining: 5, reset: Now.AddSeconds(60)));
        Assert.False((await second.WaitAsync(Deadline)).Probe);
        Assert.Equal(4, ImmediateTurnsUntilOneWaits());
    }

    [Fact]
    public void AProbeThatGotNoAnswerLetsTheNextProbeGo()
    {
        _pacer.Complete(Immediate(), Answer(202, remaining: 0, reset: Now.AddSeconds(10)));
        _time.Advance(TimeSpan.FromSeconds(11));

        var probe = Immediate();
        _pacer.Complete(probe, null);

        Assert.True(Immediate().Probe);
    }

    [Fact]
    public async Task A429WithRetryAfterPausesForTheRetryAfterNotSixtySeconds()
    {
        _pacer.Complete(Immediate(), Answer(429, RetryAfter.After(TimeSpan.FromSeconds(5))));

        var next = Waiting();
        _time.Advance(TimeSpan.FromSeconds(5) - TimeSpan.FromMilliseconds(1));
        Assert.False(next.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.True((await next.WaitAsync(Deadline)).Probe);
    }

    [Fact]
    public async Task A429WithoutRetryAfterButWithARateLimitResetWaitsUntilTheReset()
    {
        _pacer.Complete(Immediate(), Answer(429, remaining: 0, reset: Now.AddSeconds(20)));

        var next = Waiting();
        _time.Advance(TimeSpan.FromSeconds(21) - TimeSpan.FromMilliseconds(1));
        Assert.False(next.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.True((await next.WaitAsync(Deadline)).Probe);
    }

    [Fact]
    public async Task A429WithNeitherRetryAfterNorRateLimitHeadersPausesSixtySeconds()
    {
        _pacer.Complete(Immediate(), new LogTraceResponse(429, "Too Many Requests"));

        var next = Waiting();
        _time.Advance(TimeSpan.FromSeconds(60) - TimeSpan.FromMilliseconds(1));
        Assert.False(next.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.True((await next.WaitAsync(Deadline)).Probe);
    }

    [Fact]
    public async Task A503WithRetryAfterHoldsEveryRequestUntilThen()
    {
        _pacer.Complete(Immediate(), Answer(503, RetryAfter.After(TimeSpan.FromSeconds(30))));

        var a = Waiting();
        var b = Waiting();
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(a.IsCompleted);
        Assert.False(b.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));

        // No limit is known, so both go (neither as a probe).
        Assert.False((await a.WaitAsync(Deadline)).Probe);
        Assert.False((await b.WaitAsync(Deadline)).Probe);
    }

    // Found by a review: a 429 from a proxy, with no rate-limit headers, left the budget at 0 for good when the later
    // answers carried none either: every request after it was a probe, one at a time.
    [Fact]
    public async Task AHeaderless429IsFollowedByOneProbe_WhoseHeaderlessAnswerLiftsTheLimit()
    {
        _pacer.Complete(Immediate(), new LogTraceResponse(429, "Too Many Requests"));
        var probe = Waiting();
        _time.Advance(TimeSpan.FromSeconds(60));
        var turn = await probe.WaitAsync(Deadline);
        Assert.True(turn.Probe);
        var second = _pacer.WaitForTurnAsync(CancellationToken.None);
        Assert.False(second.IsCompleted, "while the probe is out, nothing else goes");

        _pacer.Complete(turn, new LogTraceResponse(202, null));

        Assert.False((await second.WaitAsync(Deadline)).Probe);
        for (var i = 0; i < 10; i++)
            Assert.False(Immediate().Probe);
    }

    // Only a probe's headerless answer lifts the limit: an ordinary request's, while the budget is known, does not.
    [Fact]
    public void AHeaderlessAnswerToAnOrdinaryRequestKeepsAKnownBudget()
    {
        _pacer.Complete(Immediate(), Answer(202, remaining: 2, reset: Now.AddSeconds(60)));
        _pacer.Complete(Immediate(), new LogTraceResponse(202, null));

        Assert.Equal(1, ImmediateTurnsUntilOneWaits());
    }

    [Fact]
    public async Task AProbeAnsweredWithA429WithoutHeadersPausesAgain()
    {
        _pacer.Complete(Immediate(), new LogTraceResponse(429, "Too Many Requests"));
        var probe = Waiting();
        _time.Advance(TimeSpan.FromSeconds(60));
        _pacer.Complete(await probe.WaitAsync(Deadline), new LogTraceResponse(429, "Too Many Requests"));

        var next = Waiting();
        _time.Advance(TimeSpan.FromSeconds(60));
        Assert.True((await next.WaitAsync(Deadline)).Probe);
    }

    // Found by a review: a Retry-After on an answer that is not retried (a 413 from a proxy, a 404) paused every sender
    // for up to an hour, although that event is finished and the others have nothing to wait for.
    [Theory]
    [InlineData(413)]
    [InlineData(400)]
    [InlineData(404)]
    [InlineData(401)]
    [InlineData(307)]
    public void ARetryAfterOnAnAnswerThatIsNotRetriedPausesNothing(int status)
    {
        _pacer.Complete(Immediate(), Answer(status, RetryAfter.After(TimeSpan.FromMinutes(30))));

        Immediate();
        Assert.True(_pacer.PauseRemaining <= TimeSpan.Zero);
    }

    // A redirect a caller's handler followed is not the service's answer: whatever it ends in pauses nothing.
    [Theory]
    [InlineData(503)]
    [InlineData(429)]
    public void AFollowedRedirectsAnswerPausesNothing(int status)
    {
        _pacer.Complete(Immediate(), new LogTraceResponse(status, null, new RateLimitHeaders(100, 0, Now.AddSeconds(60)),
            RetryAfter.After(TimeSpan.FromMinutes(30)), redirectedTo: "https://maintenance.example/"));

        Immediate();
        Assert.True(_pacer.PauseRemaining <= TimeSpan.Zero);
    }

    [Theory]
    [InlineData(408)]
    [InlineData(500)]
    [InlineData(599)]
    public void ARetryAfterOnAnAnswerThatIsRetriedPausesEveryone(int status)
    {
        _pacer.Complete(Immediate(), Answer(status, RetryAfter.After(TimeSpan.FromSeconds(30))));

        Waiting();
        Assert.Equal(TimeSpan.FromSeconds(30), _pacer.PauseRemaining);
    }

    [Fact]
    public void ASuccessWithRetryAfterDoesNotPause()
    {
        _pacer.Complete(Immediate(), Answer(202, RetryAfter.After(TimeSpan.FromSeconds(30))));

        Immediate();
    }

    [Fact]
    public async Task AShorterRetryAfterDoesNotShortenAPause()
    {
        var first = Immediate();
        var second = Immediate();
        _pacer.Complete(first, Answer(503, RetryAfter.After(TimeSpan.FromSeconds(30))));
        _pacer.Complete(second, Answer(503, RetryAfter.After(TimeSpan.FromSeconds(5))));

        var next = Waiting();
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(next.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));

        await next.WaitAsync(Deadline);
    }

    [Fact]
    public async Task AWaitingTurnCanBeCancelled()
    {
        _pacer.Complete(Immediate(), Answer(503, RetryAfter.After(TimeSpan.FromSeconds(30))));
        using var cancellation = new CancellationTokenSource();

        var next = _pacer.WaitForTurnAsync(cancellation.Token);
        cancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next.WaitAsync(Deadline));
    }
}
