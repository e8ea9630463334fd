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

    // A settled epoch takes no more records: one admitted as a flush closes and settles its epoch goes to the next one,
    // which the next flush waits for.
    [Fact]
    public async Task ASettledEpochTakesNoMoreRecords()
    {
        var epochs = new FlushEpochs();
        var settled = epochs.Close();
        await settled.Settled;

        Assert.False(settled.TryEnter());
        var admitted = epochs.Enter();

        Assert.NotSame(settled, admitted);
        Assert.Equal(0, settled.Remaining);
        var next = epochs.Close();
        Assert.Same(admitted, next);
        Assert.False(next.Settled.IsCompleted);
    }

    // The race replayed step by step (docs/flush-and-dry-run.md: a log call running at the moment of a flush falls on
    // either side of it, and a flush called after that log call returned waits for it). The Emit reads the current
    // epoch; a flush on another thread closes it, settled since it held nothing; only then is the record counted.
    [Fact]
    public async Task ARecordCountedAsAFlushClosesItsEpochIsWaitedForByTheNextFlush()
    {
        var epochs = new FlushEpochs();
        FlushEpoch? overlapping = null;
        epochs.BetweenReadAndCount = () =>
        {
            epochs.BetweenReadAndCount = null;
            overlapping = epochs.Close();
        };

        var admitted = epochs.Enter();
        // The log call has returned; its record is still on its way.
        var later = epochs.Close();

        Assert.True(overlapping!.Settled.IsCompleted, "the overlapping flush held nothing");
        Assert.False(later.Settled.IsCompleted, "a flush called after the log call returned waits for its record");
        Assert.Equal(1, later.Remaining);
        admitted.Settle();
        await later.Settled.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, later.Remaining);
    }

    // The shutdown gave up: every epoch, closed or open, is settled at once whatever it still counts; a record settled
    // later changes nothing, and one admitted after goes to a new epoch that is not settled.
    [Fact]
    public void AbandoningSettlesEveryEpoch_AndLaterRecordsGoToANewOne()
    {
        var epochs = new FlushEpochs();
        var old = epochs.Enter();
        var closed = epochs.Close();
        var open = epochs.Enter();

        epochs.AbandonAll();

        Assert.True(closed.Settled.IsCompleted);
        Assert.True(open.Settled.IsCompleted);
        Assert.Equal(0, closed.Remaining);
        Assert.Equal(0, open.Remaining);
        old.Settle();
        open.Settle();
        Assert.Equal(0, open.Remaining);
        var after = epochs.Enter();
        Assert.NotSame(open, after);
        Assert.False(after.Settled.IsCompleted);
        Assert.Equal(1, epochs.Close().Remaining);
    }
}
