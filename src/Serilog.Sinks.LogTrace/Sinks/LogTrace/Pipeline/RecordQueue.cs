using System;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Sending;

namespace Serilog.Sinks.LogTrace.Pipeline;

// The sink's one queue, between the application's thread (Write) and the outbox (Take). Its bound is the ledger's
// (queueLimit, queueLimitBytes), enforced at admission, so the channel itself is unbounded and a write never waits.
//
// A record logged inside a request that has not ended yet is taken out of the line into the hold, off the senders,
// and comes back at the end of the line once its request ends (or its wait is over). The queue is complete when the
// sink has closed it and the hold is empty; Take then returns false.
sealed class RecordQueue
{
    // Many writers (the application's threads) and many readers (the senders): the default options.
    readonly Channel<PendingRecord> _channel = Channel.CreateUnbounded<PendingRecord>();
    readonly EventHold _hold;
    readonly ShutdownDeadline _shutdown;
    readonly Action<PendingRecord> _notTaken;
    volatile bool _closed;

    // notTaken: told of a record released from the hold after the queue completed (it cannot happen: the queue
    // completes only once the hold is empty; the ledger still counts it if it does).
    public RecordQueue(TimeProvider time, ShutdownDeadline shutdown, Action<PendingRecord> notTaken)
    {
        _shutdown = shutdown;
        _notTaken = notTaken;
        _hold = new EventHold(time, Release, () => _channel.Writer.TryComplete());
    }

    // On the application's thread. False once the queue is closed (a write racing with Close may still be taken: it
    // is then read like any other).
    public bool TryWrite(in PendingRecord record) => !_closed && _channel.Writer.TryWrite(record);

    // The next record that can go now, without waiting.
    public bool TryTake(out PendingRecord record)
    {
        while (_channel.Reader.TryRead(out record))
        {
            if (CanGo(record))
                return true;
        }
        return false;
    }

    // The next record that can go now; waits for one. Null when the queue is complete, or when `stop` is cancelled
    // (a cancelled wait takes nothing: the record stays for the next reader). Each waiting reader is woken by a write
    // of its own (ReadAsync), not all of them at once.
    public async ValueTask<PendingRecord?> TakeAsync(CancellationToken stop = default)
    {
        while (true)
        {
            if (TryTake(out var record))
                return record;
            try
            {
                record = await _channel.Reader.ReadAsync(stop).ConfigureAwait(false);
            }
            catch (ChannelClosedException)
            {
                return null;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return null;
            }
            if (CanGo(record))
                return record;
        }
    }

    // Records held for their request, or put back at the end of the line after it: the line's head is not older than
    // them. The memory outbox counts its own late records here too.
    public LateRecords Late { get; } = new();

    // When the record at the head of the line was logged (null when the line is empty), for the status; Late has the
    // records out of the line's order.
    public DateTimeOffset? OldestWaiting() => _channel.Reader.TryPeek(out var record) ? record.Event.Timestamp : null;

    // Waits until a record can be read, or the queue is complete (false).
    public ValueTask<bool> WaitToReadAsync() => _channel.Reader.WaitToReadAsync();

    // No record is written from now on; the queue completes once the hold has released every record it holds.
    public void Close()
    {
        _closed = true;
        _hold.Close();
    }

    // A held record is counted late before the hold can release it, so that its leaving (a reader may take it at once)
    // never comes before its counting.
    bool CanGo(PendingRecord record)
    {
        if (record.Waited)
        {
            Late.Remove(record.Event.Timestamp);
            return true;
        }
        if (record.Request == null)
            return true;
        Late.Add(record.Event.Timestamp);
        if (_hold.TryHold(record, _shutdown.Stopping))
            return false;
        Late.Remove(record.Event.Timestamp);
        return true;
    }

    void Release(PendingRecord record)
    {
        if (_channel.Writer.TryWrite(record.AfterWaiting()))
            return;
        Late.Remove(record.Event.Timestamp);
        _notTaken(record);
    }
}
