using System;
using System.Threading;
using System.Threading.Tasks;

namespace Serilog.Sinks.LogTrace.Accounting;

// What a flush waits for: the records admitted before it was called, and none admitted after
// (LogTraceStatus.FlushAsync). Each admitted record is counted in the current epoch and carries it to its outcome; a
// flush closes the current epoch, opens the next one, and waits until the closed epoch and every epoch closed before
// it hold no record. A record is settled by whatever the ledger finishes it with: delivered, lost (counted), written
// to the durable buffer, or written to the dry run's output. Records settle in any order (senders, retries, the wait
// for a request), so a count of settled records could not say which were settled; an epoch can.
//
// The application's thread pays one compare-and-swap per admitted record (Enter); a flush takes a lock only against
// another flush.
sealed class FlushEpochs
{
    readonly object _lock = new();
    FlushEpoch _current = new(null);

    // For an admitted record: the epoch it belongs to, counted. A record admitted while a flush closes the epoch (its
    // Emit overlaps the flush call) may land in either epoch, but never in one already settled: no flush would wait
    // for it there, not even one called after its Emit returned. Such a record goes to the epoch that flush opened
    // (Close makes it current before it settles the one it closes, so the retry finds it).
    public FlushEpoch Enter()
    {
        while (true)
        {
            var epoch = Volatile.Read(ref _current);
            BetweenReadAndCount?.Invoke();
            if (epoch.TryEnter())
                return epoch;
        }
    }

    // For tests: runs in Enter between reading the current epoch and counting the record in it, where a flush on
    // another thread can close and settle that epoch.
    internal Action? BetweenReadAndCount { get; set; }

    // The shutdown gave up on the outbox (RecordLedger.Abandon), which counted every unfinished record lost: every
    // epoch is settled now, so no flush waits for records that are already counted, and a later Settle of one of them
    // changes nothing. Records admitted from now on (there should be none) go to a new epoch no flush has closed.
    public void AbandonAll()
    {
        FlushEpoch? epoch;
        lock (_lock)
        {
            epoch = _current;
            Volatile.Write(ref _current, new FlushEpoch(null));
        }
        while (epoch != null)
            epoch = epoch.Abandon();
    }

    // The records admitted until now, as one epoch: settled once they all are. Later records go to the next epoch.
    public FlushEpoch Close()
    {
        lock (_lock)
        {
            var closing = _current;
            Volatile.Write(ref _current, new FlushEpoch(closing));
            closing.Settle();
            return closing;
        }
    }
}

// The records admitted between two flushes. Its count starts at one, for the epoch being open, which Close gives
// back; it is settled when the count reaches zero and the epoch before it is settled.
sealed class FlushEpoch
{
    readonly TaskCompletionSource<bool> _settled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    FlushEpoch? _previous;
    long _count = 1;

    internal FlushEpoch(FlushEpoch? previous) => _previous = previous;

    // Completes once this epoch's records, and every earlier epoch's, are settled.
    public Task Settled => _settled.Task;

    // Counts one more record, unless the epoch is settled already (its count reached zero: closed, and every record in
    // it settled): false then.
    internal bool TryEnter()
    {
        var count = Volatile.Read(ref _count);
        while (count > 0)
        {
            var seen = Interlocked.CompareExchange(ref _count, count + 1, count);
            if (seen == count)
                return true;
            count = seen;
        }
        return false;
    }

    // One of its records is settled.
    public void Settle()
    {
        if (Interlocked.Decrement(ref _count) == 0)
            OwnRecordsSettled();
    }

    // The records of this epoch and of the earlier ones not yet settled.
    public long Remaining
    {
        get
        {
            long remaining = 0;
            for (var epoch = this; epoch != null && !epoch.Settled.IsCompleted; epoch = Volatile.Read(ref epoch._previous))
                remaining += Math.Max(0, Interlocked.Read(ref epoch._count));
            return remaining;
        }
    }

    void OwnRecordsSettled()
    {
        if (Volatile.Read(ref _previous) is not { } previous)
        {
            Done();
            return;
        }
        previous.Settled.ContinueWith(static (_, state) => ((FlushEpoch)state!).Done(), this, CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    // Settled at once, whatever it still counts (FlushEpochs.AbandonAll); returns the epoch before it.
    internal FlushEpoch? Abandon()
    {
        var previous = Volatile.Read(ref _previous);
        Interlocked.Exchange(ref _count, 0);
        Done();
        return previous;
    }

    // The chain is cut here: a settled epoch keeps none before it alive.
    void Done()
    {
        Volatile.Write(ref _previous, null);
        _settled.TrySetResult(true);
    }
}
