using System;
using System.Collections.Generic;
using System.Linq;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Sending;

namespace Serilog.Sinks.LogTrace.Buffering;

// What the pump and the settling of outcomes share about the durable buffer's records: the ids a sender has (or that
// were settled and could not be removed), the pass planned for records put back, and the ids of a store file moved
// aside while running. One lock for all of it: the pump reads and reserves under it, and settling a record takes it
// after the record's delete, so a record delivered while the pump waits for room in the hand-off can never be read as
// free and sent again.
sealed class InFlightRecords
{
    readonly object _lock = new();
    readonly HashSet<long> _ids = new();
    readonly TimeProvider _time;
    long? _rescanAt;   // a monotonic timestamp (Clock.TimestampAfter)
    // Ids up to this one belong to a store file moved aside while running (0: none was).
    long _recoveredUpTo;
    // The highest id the pump has read: a recovery started by the writer (which knows no cursor) numbers past it.
    long _highestRead;

    public InFlightRecords(TimeProvider time) => _time = time;

    // The records `read` returns that no sender has, reserved (in flight from now on), and the id read up to.
    public (List<BufferRecord> Reserved, long ReadUpTo) ReadAndReserve(Func<IReadOnlyList<BufferRecord>> read, long cursor)
    {
        lock (_lock)
        {
            var records = read();
            var reserved = new List<BufferRecord>(records.Count);
            foreach (var record in records)
            {
                if (_ids.Add(record.Id))
                    reserved.Add(record);
            }
            if (records.Count > 0)
                _highestRead = Math.Max(_highestRead, records[records.Count - 1].Id);
            return (reserved, records.Count > 0 ? records[records.Count - 1].Id : cursor);
        }
    }

    // The record is settled: it may be read again (it is not, once deleted).
    public void Release(long id)
    {
        lock (_lock)
            _ids.Remove(id);
    }

    // The record gives its sender back, to be read again by a pass `after` from now (or by one already planned).
    public void PutBack(long id, TimeSpan after)
    {
        lock (_lock)
        {
            _ids.Remove(id);
            PlanRescan(after);
        }
    }

    // Records were passed over (their route is refused): a pass from the start `after` from now (or one already
    // planned) reads them.
    public void RescanAfter(TimeSpan after)
    {
        lock (_lock)
            PlanRescan(after);
    }

    // Under the lock: a pass `after` from now, unless one is planned already.
    void PlanRescan(TimeSpan after) => _rescanAt ??= Clock.TimestampAfter(_time, after);

    // True when records put back are due: the pump reads from the start again.
    public bool RescanDue()
    {
        lock (_lock)
        {
            if (_rescanAt is not { } at || Clock.Until(_time, at) > TimeSpan.Zero)
                return false;
            _rescanAt = null;
            return true;
        }
    }

    public TimeSpan UntilRescan()
    {
        lock (_lock)
        {
            if (_rescanAt is not { } at)
                return Clock.MaxDelay;
            var wait = Clock.Until(_time, at);
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
    }

    public bool FromMovedAsideStore(long id)
    {
        lock (_lock)
            return id <= _recoveredUpTo;
    }

    // A damaged store file is moved aside and a new one started (`tryRecover`, given the id new records must number
    // above, which ids a sender has and how many): how many of the old file's records went with it (what could be
    // salvaged is in the new file, and those a sender has are accounted for by their senders), or null when the store
    // does not recover from this failure. `recovered` runs under the lock once it has.
    public long? Recover(long cursor, Func<long, Func<long, bool>, long, long?> tryRecover, Action recovered)
    {
        lock (_lock)
        {
            // New records are numbered past every id this pump has seen, so neither the cursor nor a record still in
            // flight from the old file can ever meet a new record's id (every id in flight was read, so none is above
            // the highest read).
            var idsAbove = Math.Max(cursor, _highestRead);
            // The records of this file that a sender has (or that were delivered and could not be removed) are
            // accounted for by their senders; the rest go with the file.
            var accountedFor = _ids.Count(id => id > _recoveredUpTo);
            var lost = tryRecover(idsAbove, _ids.Contains, accountedFor);
            if (lost.HasValue)
            {
                _recoveredUpTo = idsAbove;
                recovered();
            }
            return lost;
        }
    }
}
