using Serilog.Sinks.LogTrace.Accounting;

namespace Serilog.Sinks.LogTrace.Tests.Flush;

// What a flush waits for: the records admitted before it, whatever order they settle in, and none admitted after.
public class FlushEpochsTests
{
    [Fact]
    public void AnEpochWithoutRecordsIsSettledWhenItIsClosed()
    {
        var epochs = new FlushEpochs();

        var closed = epochs.Close();

        Assert.True(closed.Settled.IsCompleted);
        Assert.Equal(0, closed.Remaining);
    }

    [Fact]
    public async Task AClosedEpochWaitsForItsOwnRecordsAndNotForLaterOnes()
    {
        var epochs = new FlushEpochs();
        var first = epochs.Enter();
        var second = epochs.Enter();

        var closed = epochs.Close();
        var later = epochs.Enter();

        Assert.Same(first, closed);
        Assert.Same(second, closed);
        Assert.NotSame(closed, later);
        Assert.Equal(2, closed.Remaining);
        first.Settle();
        Assert.False(closed.Settled.IsCompleted);
        Assert.Equal(1, closed.Remaining);

        second.Settle();
        await closed.Settled.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, closed.Remaining);
        Assert.False(later.Settled.IsCompleted);
    }

    // Records settle in any order: a later flush also waits for the records of the flushes before it.
    [Fact]
    public async Task ALaterEpochWaitsForTheRecordsOfTheEarlierOnes()
    {
        var epochs = new FlushEpochs();
        var early = epochs.Enter();
        var firstFlush = epochs.Close();
        var late = epochs.Enter();
        var secondFlush = epochs.Close();

        late.Settle();
        Assert.False(secondFlush.Settled.IsCompleted);
        Assert.Equal(1, secondFlush.Remaining);

        early.Settle();
        await secondFlush.Settled.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(firstFlush.Settled.IsCompleted);
        Assert.Equal(0, secondFlush.Remaining);
    }

    [Fact]
    public void TheRemainingRecordsOfEveryEarlierEpochAreCounted()
    {
        var epochs = new FlushEpochs();
        epochs.Enter();
        epochs.Enter();
        epochs.Close();
        epochs.Enter();

        Assert.Equal(3, epochs.Close().Remaining);
    }

    // A record admitted while a flush closes its epoch may land in the closed one after it was settled: it neither
    // reopens that flush nor holds the next.
    [Fact]
    public async Task ARecordThatLandsInASettledEpochHoldsNoFlush()
    {
        var epochs = new FlushEpochs();
        var settled = epochs.Close();
        await settled.Settled;

        settled.Enter();
        var next = epochs.Close();

        Assert.True(settled.Settled.IsCompleted);
        Assert.Equal(0, settled.Remaining);
        await next.Settled.WaitAsync(TimeSpan.FromSeconds(10));
        settled.Settle();
        Assert.True(settled.Settled.IsCompleted);
    }
}
