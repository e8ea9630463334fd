using Serilog.Sinks.LogTrace.Http;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Http;

// One timer ends every exchange at its timeout (docs/benchmarks.md: a timer per request was too dear).
public class ExchangeDeadlinesTests
{
    [Fact]
    public async Task AnOpenExchangeIsCancelledAfterItsTimeoutAndAClosedOneNever()
    {
        using var deadlines = new ExchangeDeadlines(TimeSpan.FromMilliseconds(50));
        using var stalled = deadlines.Open(CancellationToken.None);
        var closed = deadlines.Open(CancellationToken.None);
        var closedToken = closed.Token;
        closed.Dispose();

        await Eventually.TrueAsync(() => stalled.Token.IsCancellationRequested, "the stalled exchange is cancelled");
        Assert.False(closedToken.IsCancellationRequested);
    }

    [Fact]
    public void AnExchangeWithinItsTimeoutGoesOn()
    {
        using var deadlines = new ExchangeDeadlines(TimeSpan.FromMinutes(10));
        using var exchange = deadlines.Open(CancellationToken.None);
        Assert.Equal(TimeSpan.FromSeconds(1), deadlines.Tick);
        Assert.False(exchange.Token.IsCancellationRequested);
    }

    [Fact]
    public async Task TheCallersTokenCancelsTheExchange()
    {
        using var deadlines = new ExchangeDeadlines(TimeSpan.FromMinutes(10));
        using var shutdown = new CancellationTokenSource();
        using var exchange = deadlines.Open(shutdown.Token);
        shutdown.Cancel();
        Assert.True(exchange.Token.IsCancellationRequested);
        await Task.CompletedTask;
    }

    [Theory]
    [InlineData(1, 10)]
    [InlineData(80, 10)]
    [InlineData(800, 100)]
    [InlineData(30_000, 1_000)]
    public void TheTickIsAnEighthOfTheTimeoutBetweenTenMillisecondsAndASecond(int timeoutMs, int tickMs)
    {
        using var deadlines = new ExchangeDeadlines(TimeSpan.FromMilliseconds(timeoutMs));
        Assert.Equal(TimeSpan.FromMilliseconds(tickMs), deadlines.Tick);
    }

    [Fact]
    public async Task ASlowCancellationCallbackNeitherOverlapsTheNextCheckNorCrashesIt()
    {
        // Review finding: checks that overlapped shared one array, and a NullReferenceException out of the timer
        // callback ended the process. Checks now run one at a time.
        using var deadlines = new ExchangeDeadlines(TimeSpan.FromMilliseconds(1));
        using var slow = deadlines.Open(CancellationToken.None);
        slow.Token.Register(() => Thread.Sleep(300));
        var others = Enumerable.Range(0, 5).Select(_ => deadlines.Open(CancellationToken.None)).ToList();
        try
        {
            await Eventually.TrueAsync(() => others.All(o => o.Token.IsCancellationRequested) && slow.Token.IsCancellationRequested,
                "every exchange is cancelled");
        }
        finally
        {
            others.ForEach(o => o.Dispose());
        }
    }

    [Fact]
    public async Task TheTimerStopsWhenNoExchangeIsOpen()
    {
        using var deadlines = new ExchangeDeadlines(TimeSpan.FromMilliseconds(20));
        Assert.False(deadlines.IsArmed);
        var exchange = deadlines.Open(CancellationToken.None);
        Assert.True(deadlines.IsArmed);
        exchange.Dispose();
        await Eventually.TrueAsync(() => !deadlines.IsArmed, "the timer stops");
    }

    [Fact]
    public void AnExchangeOpenedAfterDisposalIsNeverTimedOutAndNothingThrows()
    {
        var deadlines = new ExchangeDeadlines(TimeSpan.FromMilliseconds(20));
        deadlines.Dispose();
        using var exchange = deadlines.Open(CancellationToken.None);
        Assert.False(deadlines.IsArmed);
    }
}
