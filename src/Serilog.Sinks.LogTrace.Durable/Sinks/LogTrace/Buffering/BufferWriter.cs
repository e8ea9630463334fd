using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Sending;
using Serilog.Sinks.LogTrace.Records;
using Serilog.Sinks.LogTrace.Pipeline;

namespace Serilog.Sinks.LogTrace.Buffering;

// The durable outbox's writer: it takes what the sink's queue holds, up to batchSizeLimit records at a time and at
// least every WriteInterval, formats each record once (to the body that will be sent), and appends the batch to the
// store in one transaction. It is the only writer of the store. What the store cannot take is sent from memory
// instead; what is still in memory when the shutdown timeout passes is counted lost, not written past it.
sealed class BufferWriter : IDisposable
{
    // The longest a record waits in memory before it is written, whatever the period.
    internal static readonly TimeSpan WriteInterval = TimeSpan.FromMilliseconds(100);

    readonly RecordQueue _queue;
    readonly RecordLedger _admission;
    readonly ShutdownDeadline _shutdown;
    readonly EventDelivery _delivery;
    readonly EventStore _store;
    readonly BufferPump _pump;
    readonly FormatBuffers _buffers = new();
    readonly TimeSpan _writePause;
    readonly Func<TimeSpan, CancellationToken, Task> _pause;
    readonly int _batchSize;
    readonly long _limitBytes;
    readonly OncePerInterval _writeFailureReports;
    readonly Action<RecordKind> _countFallbackLostAtShutdown;
    int _removedReported;
    // By kind (index: RecordKind), for the shutdown's summary.
    readonly long[] _fallbackLostAtShutdown = new long[RecordKinds.Count];
    readonly long[] _unwrittenAtShutdown = new long[RecordKinds.Count];
    BufferLock? _relock;
    // The UTC ticks at which the oldest record of the batch being formatted and written was logged; 0 when none. The
    // status reads it (DurableOutbox.OldestUndelivered): a record taken from the queue is in no line until it is on
    // disk, and a before-send hook or a disk write that does not return would hide it.
    long _writing;

    public BufferWriter(SinkParts parts, EventDelivery delivery, EventStore store, BufferPump pump)
    {
        var options = parts.Settings.Options;
        _queue = parts.Queue;
        _admission = parts.Ledger;
        _shutdown = parts.Shutdown;
        _delivery = delivery;
        _store = store;
        _pump = pump;
        _limitBytes = options.BufferSizeLimitBytes;
        _batchSize = options.BatchSizeLimit;
        _writePause = options.Period < WriteInterval ? options.Period : WriteInterval;
        _pause = options.WritePause;
        _writeFailureReports = new OncePerInterval(parts.Time);
        _countFallbackLostAtShutdown = kind => Interlocked.Increment(ref _fallbackLostAtShutdown[(int)kind]);
    }

    // Takes the queue's records in batches until the queue is complete; then the pump stops once the store has nothing
    // more to send. After a batch that was not full it pauses (real time, as Serilog's own batching does), so that a
    // steady trickle makes one transaction per WriteInterval, not one per record; the shutdown ends the pause.
    public async Task RunAsync()
    {
        var batch = new List<PendingRecord>(Math.Min(_batchSize, 1024));
        var queue = _queue;
        try
        {
            while (await queue.TakeAsync().ConfigureAwait(false) is { } first)
            {
                batch.Add(first);
                var oldest = first.Event.Timestamp.UtcTicks;
                Volatile.Write(ref _writing, oldest);
                while (batch.Count < _batchSize && queue.TryTake(out var next))
                {
                    batch.Add(next);
                    if (next.Event.Timestamp.UtcTicks < oldest)
                        Volatile.Write(ref _writing, oldest = next.Event.Timestamp.UtcTicks);
                }
                if (_shutdown.Deadline.IsCancellationRequested)
                {
                    // shutdownTimeout holds for what is still in memory too: a large queue is not written to disk past it.
                    foreach (var record in batch)
                    {
                        var kind = RecordKinds.TryGetMarker(record.Event, out var marked, out _) ? marked : RecordKind.Event;
                        Interlocked.Increment(ref _unwrittenAtShutdown[(int)kind]);
                        _admission.Lost(record, LossReason.Shutdown,
                            "was still in memory when the shutdown timeout passed, before it could be written to the durable buffer", null);
                    }
                    batch.Clear();
                    Volatile.Write(ref _writing, 0);
                    continue;
                }
                var full = batch.Count >= _batchSize;
                await WriteAsync(batch).ConfigureAwait(false);
                batch.Clear();
                Volatile.Write(ref _writing, 0);
                if (!full && !_shutdown.HasBegun)
                    await PauseAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            // TakeAsync and WriteAsync never throw; this keeps the pump from waiting for a writer that is gone.
            QuietSelfLog.WriteLine("LogTrace: an unexpected error in the durable buffer's writer: {0}", ex);
            foreach (var record in batch)
                _admission.LostToAnError(record, "could not be written to the durable buffer", ex);
        }
        finally
        {
            _pump.WritersDone();
        }
    }

    // When the oldest record the writer holds (taken from the queue, not yet on disk or sent) was logged; null for none.
    public DateTimeOffset? OldestWriting()
    {
        var ticks = Volatile.Read(ref _writing);
        return ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
    }

    async Task PauseAsync()
    {
        try
        {
            await _pause(_writePause, _shutdown.Stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    // Formats the events and appends them in one transaction. Never throws: every event ends written, refused
    // (buffer_full) or lost for its own reason; events the store cannot take are sent from memory instead.
    async Task WriteAsync(List<PendingRecord> pending)
    {
        try
        {
            var records = new List<BufferRecord>(pending.Count);
            var written = new List<PendingRecord>(pending.Count);
            // Read once per batch (it takes the store's lock); deliveries meanwhile only lower it.
            var held = _store.Bytes;
            long adding = 0;
            foreach (var item in pending)
            {
                if (!TryRecord(item, out var record))
                    continue;
                if (held + adding + record.Size > _limitBytes)
                {
                    _admission.Lost(item, LossReason.BufferFull, string.Format(CultureInfo.InvariantCulture,
                        "was refused because the durable buffer at {0} holds {1} bytes of records already (bufferSizeLimitBytes: {2}); the records " +
                        "already buffered are kept. The service has been unreachable or slower than the application for a long time",
                        _store.Folder, held + adding, _limitBytes), null);
                    continue;
                }
                adding += record.Size;
                records.Add(record);
                written.Add(item);
            }
            if (records.Count == 0)
                return;

            // A store found damaged by an append (a page only writing touches, such as the free-page list, so reads
            // never see it) is moved aside and started anew, as a read's would be; the batch then goes into the new one.
            var failure = TryAppend(records);
            if (failure != null && _pump.RecoveredFromWriteFailure(failure))
                failure = TryAppend(records);
            if (failure != null)
            {
                ReportWriteFailure(failure, records);
                for (var i = 0; i < records.Count; i++)
                    await _pump.SendFromMemoryAsync(new MemoryTicket(written[i], records[i].Kind, _admission, _countFallbackLostAtShutdown), records[i].Body).ConfigureAwait(false);
                return;
            }
            foreach (var item in written)
                _admission.Buffered(item);
            _pump.Wake();
            WarnIfRemoved();
        }
        catch (Exception ex)
        {
            QuietSelfLog.WriteLine("LogTrace: an unexpected error while writing to the durable buffer: {0}", ex);
        }
    }

    // The append's failure, or null. Caught here, not recovered in an exception filter: a filter would run before the
    // store's lock and transaction are let go.
    Exception? TryAppend(List<BufferRecord> records)
    {
        try
        {
            _store.Append(records);
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }

    // A folder deleted under the running process (a clean-up job, a volume re-created): SQLite goes on writing to a
    // file that no longer has a name. The events are still sent while the process lives, but what is left at exit is
    // lost, and the lock no longer keeps another process out: said once, loudly.
    void WarnIfRemoved()
    {
        if (_store.FileExists || Interlocked.Exchange(ref _removedReported, 1) != 0)
            return;
        // The lock went with the folder: taken again, so that no other process starts a buffer there meanwhile.
        string relocked;
        try
        {
            _relock = BufferLock.TryAcquire(_store.Folder);
            relocked = _relock != null ? "the folder is locked again for this process" : "another process has taken the folder already";
        }
        catch (Exception ex)
        {
            // The cause alone: the configuration's wording (BufferLock.Unusable, with its advice) does not fit here.
            var cause = ex is ArgumentException { InnerException: { } inner } ? inner : ex;
            relocked = "the folder cannot be locked again (" + cause.GetType().Name + ": " + cause.Message + ")";
        }
        QuietSelfLog.WriteLine("LogTrace: the durable buffer's files at {0} were removed while this process runs (was the folder deleted?): records are still " +
            "written and sent while it lives, but those left at exit are lost; {1}. Restart the process to start a new buffer there.", _store.Folder, relocked);
    }

    // The event formatted into a record; false when it is finished (not a record, or lost). One event's unexpected
    // failure is its own: it never takes the rest of its batch with it.
    bool TryRecord(in PendingRecord item, out BufferRecord record)
    {
        record = null!;
        try
        {
            if (!_delivery.TryFormat(item, _buffers, out var kind))
                return false;
            record = new BufferRecord(0, RecordKinds.NameOf(item.Event, kind), item.Event.Timestamp, _buffers.Body.ToArray(), kind: kind);
            return true;
        }
        catch (Exception ex)
        {
            _admission.LostToAnError(item, "could not be written to the durable buffer", ex);
            return false;
        }
    }

    // A full disk, or a folder removed under the process: reported at most once per interval, never thrown.
    void ReportWriteFailure(Exception ex, List<BufferRecord> records)
    {
        if (!_writeFailureReports.Allow())
            return;
        var byKind = new long[RecordKinds.Count];
        foreach (var record in records)
            byKind[(int)record.Kind]++;
        QuietSelfLog.WriteLine("{0}", string.Format(CultureInfo.InvariantCulture,
            "LogTrace: could not write {0} to the durable buffer at {1} ({2}: {3}); they are sent from memory instead, " +
            "without the buffer's protection, until writing works again (is the disk full?)", RecordCounts.Describe(records.Count, byKind), _store.Folder,
            ex.GetType().Name, ex.Message));
    }

    // The shutdown's summary of what the writer could not put on disk.
    public void WriteSummary()
    {
        var unwritten = Snapshot(_unwrittenAtShutdown);
        if (unwritten.Sum() > 0)
        {
            QuietSelfLog.WriteLine("LogTrace: {0} were still in memory when the shutdown timeout of {1} passed, and were dropped before they " +
                "could be written to the durable buffer at {2}", RecordCounts.Describe(unwritten.Sum(), unwritten), _shutdown.Timeout, _store.Folder);
        }
        var fallbackLost = Snapshot(_fallbackLostAtShutdown);
        if (fallbackLost.Sum() > 0)
        {
            QuietSelfLog.WriteLine("LogTrace: {0} that could not be written to the durable buffer were not delivered within the shutdown timeout of {1}, and were dropped",
                RecordCounts.Describe(fallbackLost.Sum(), fallbackLost), _shutdown.Timeout);
        }
    }

    static long[] Snapshot(long[] counts)
    {
        var copy = new long[counts.Length];
        for (var k = 0; k < counts.Length; k++)
            copy[k] = Interlocked.Read(ref counts[k]);
        return copy;
    }

    public void Dispose()
    {
        _relock?.Dispose();
        _buffers.Dispose();
    }
}
