using System;
using System.Collections.Generic;
using System.Linq;
using System.Globalization;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Serilog.Debugging;
using Serilog.Sinks.LogTrace.Delivery;
using Serilog.Sinks.LogTrace.Formatting;

namespace Serilog.Sinks.LogTrace.Buffering;

// Feeds the senders from the durable buffer, oldest record first, and settles each record's outcome in the store:
// delivered records are deleted; records the service rejected for good, or that failed their checksum, are moved to
// the dead-letter folder; records not delivered for any other reason (the shutdown deadline, the retry time limit,
// a configuration error) stay where they are and are sent again later, by this process or the next one.
//
// A record is read again only once no sender has it. A record that used up its retry time limit gives its sender
// back (so a few events the service keeps failing cannot hold every sender) and is tried again RetryLater after that:
// the pump then reads from the start once more. Delivered records are deleted, so the rows before the cursor are only
// those put back or in flight, and the pass is cheap.
sealed class BufferPump
{
    const int ReadSize = 64;
    static readonly TimeSpan ReadFailurePause = TimeSpan.FromSeconds(5);

    // How long a record put back waits before it is sent again.
    internal static readonly TimeSpan RetryLater = TimeSpan.FromMinutes(1);

    // The least retry time limit with the buffer: a record is retried this long (with backoff) before it is put back,
    // so that even retryTimeLimit 0 cannot make the senders run through the backlog at the speed of a refused connection.
    internal static readonly TimeSpan MinimumRetryTimeLimit = TimeSpan.FromMinutes(1);

    readonly EventStore _store;
    readonly DeadLetterFolder _deadLetters;
    readonly LossReporter _reporter;
    readonly LogTraceSinkCounters _counters;
    readonly ShutdownDeadline _shutdown;
    readonly TimeProvider _time;
    readonly Channel<SendItem> _work;
    readonly HashSet<long> _inFlight = new();
    readonly object _signalLock = new();
    TaskCompletionSource<bool> _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly OncePerInterval _deferralReports;
    // Ids up to this one belong to a store file moved aside while running (0: none was).
    long _recoveredUpTo;
    long _unremoved;
    readonly OncePerInterval _readFailureReports;
    readonly OncePerInterval _deleteFailureReports;
    DateTimeOffset? _rescanAt;
    int _writersDone, _deadLettersFullReported;

    public BufferPump(EventStore store, DeadLetterFolder deadLetters, LossReporter reporter, LogTraceSinkCounters counters,
        ShutdownDeadline shutdown, TimeProvider time, int senders)
    {
        _store = store;
        _deadLetters = deadLetters;
        _reporter = reporter;
        _counters = counters;
        _shutdown = shutdown;
        _time = time;
        _work = Channel.CreateBounded<SendItem>(new BoundedChannelOptions(senders));
        _deferralReports = new OncePerInterval(time);
        _readFailureReports = new OncePerInterval(time);
        _deleteFailureReports = new OncePerInterval(time);
    }

    public ChannelReader<SendItem> Work => _work.Reader;

    // New records were appended, or a record was put back.
    public void Wake()
    {
        TaskCompletionSource<bool> signal;
        lock (_signalLock)
            signal = _signal;
        signal.TrySetResult(true);
    }

    // The signal the next wait is for: a fresh one once the last has fired, taken before reading the store, so that
    // an append after the read wakes the wait.
    TaskCompletionSource<bool> ArmSignal()
    {
        lock (_signalLock)
        {
            if (_signal.Task.IsCompleted)
                _signal = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            return _signal;
        }
    }

    // True when records put back are due: the pump reads from the start again.
    bool RescanDue()
    {
        lock (_inFlight)
        {
            if (_rescanAt is not { } at || _time.GetUtcNow() < at)
                return false;
            _rescanAt = null;
            return true;
        }
    }

    TimeSpan UntilRescan()
    {
        lock (_inFlight)
        {
            if (_rescanAt is not { } at)
                return Clock.MaxDelay;
            var wait = at - _time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
    }

    // Nothing will be appended any more: the pump stops once every record has gone to a sender.
    public void WritersDone()
    {
        Volatile.Write(ref _writersDone, 1);
        Wake();
    }

    // An event the store could not take, sent from memory instead (its ticket counts it); false when the shutdown
    // deadline passed first, and the ticket was told so.
    public async Task SendFromMemoryAsync(DeliveryTicket ticket, ReadOnlyMemory<byte> body)
    {
        try
        {
            await _work.Writer.WriteAsync(new SendItem(ticket, body), _shutdown.Deadline).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
        {
            ticket.Lost(LossReason.Shutdown, "could not be sent before the shutdown timeout", null);
        }
    }

    public async Task RunAsync()
    {
        long cursor = 0;
        try
        {
            while (!_shutdown.Deadline.IsCancellationRequested)
            {
                var signal = ArmSignal();
                if (RescanDue())
                    cursor = 0;
                var (records, readUpTo) = await ReadAndReserveAsync(cursor).ConfigureAwait(false);
                if (records == null)
                    continue;   // the read failed: paused, or the store started anew; read again
                if (readUpTo == cursor)
                {
                    // At shutdown, records put back stay on disk for the next start.
                    if (Volatile.Read(ref _writersDone) == 1)
                        break;
                    await Clock.WhenAnyOrDelayAsync(_time, signal.Task, UntilRescan(), _shutdown.Deadline).ConfigureAwait(false);
                    continue;
                }

                cursor = readUpTo;
                foreach (var record in records)
                {
                    if (record.Corrupt)
                        MoveAside(record, LossReason.Corrupt, "was read back from the durable buffer damaged (its checksum does not match); it was not sent", null);
                    else
                        await _work.Writer.WriteAsync(new SendItem(new StoredTicket(this, record), record.Body), _shutdown.Deadline).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The shutdown deadline: what was not handed over stays on disk.
        }
        finally
        {
            _work.Writer.TryComplete();
        }
    }

    // The records after the cursor that no sender has, reserved for the senders (in flight from now on), and the id
    // read up to. Reading and reserving happen under one lock, which settling a record also takes after its delete:
    // a record delivered while the pump waits for room in the hand-off can never be read as free and sent again.
    // Records null: the read failed (after a pause, or the store was started anew), and is to be tried again.
    async Task<(List<BufferRecord>? Records, long ReadUpTo)> ReadAndReserveAsync(long cursor)
    {
        try
        {
            lock (_inFlight)
            {
                var read = _store.ReadAfter(cursor, ReadSize);
                var reserved = new List<BufferRecord>(read.Count);
                foreach (var record in read)
                {
                    if (_inFlight.Add(record.Id))
                        reserved.Add(record);
                }
                return (reserved, read.Count > 0 ? read[read.Count - 1].Id : cursor);
            }
        }
        catch (Exception ex)
        {
            if (!Recovered(ex, cursor))
            {
                if (_readFailureReports.Allow())
                {
                    SelfLog.WriteLine("{0}", string.Format(CultureInfo.InvariantCulture,
                        "LogTrace: could not read the durable buffer at {0} ({1}: {2}); trying again every {3} s",
                        _store.Folder, ex.GetType().Name, ex.Message, ReadFailurePause.TotalSeconds));
                }
                await Clock.Delay(_time, ReadFailurePause, _shutdown.Deadline).ConfigureAwait(false);
            }
            return (null, cursor);
        }
    }

    // A store damaged beyond single records moved its file aside and started anew: the records that went with it
    // are counted as corrupt (the store's own SelfLog line says where the file is). Records in flight still finish.
    bool Recovered(Exception failure, long cursor)
    {
        long? lost;
        try
        {
            lock (_inFlight)
            {
                // New records are numbered past every id this pump has seen, so neither the cursor nor a record still in
                // flight from the old file can ever meet a new record's id.
                var idsAbove = _inFlight.Count > 0 ? Math.Max(cursor, _inFlight.Max()) : cursor;
                // The records of this file that a sender has (or that were delivered and could not be removed) are
                // accounted for by their senders; the rest go with the file.
                var accountedFor = _inFlight.Count(id => id > _recoveredUpTo);
                lost = _store.TryRecover(failure, idsAbove) - accountedFor;
                if (lost.HasValue)
                {
                    _recoveredUpTo = idsAbove;
                    Interlocked.Exchange(ref _unremoved, 0);
                }
            }
        }
        catch (Exception ex)
        {
            SelfLog.WriteLine("LogTrace: the durable buffer at {0} is damaged and could not be started anew: {1}", _store.Folder, ex.Message);
            return false;
        }
        if (lost is not { } count)
            return false;
        count = Math.Max(0, count);
        // The records in flight still finish; the others went with the file.
        if (count > 0)
            _reporter.Lost(LossReason.Corrupt, null, "record (in the damaged store)", null, "was in the durable buffer's store when it was found damaged; the file was moved to " + _deadLetters.Path, failure, count);
        return true;
    }

    void Delivered(BufferRecord record, TimeSpan latency)
    {
        _counters.AddSent(latency, record.Kind);
        if (Delete(record))
            Done(record);
    }

    void NotDelivered(BufferRecord record, LossReason reason, string detail, Exception? exception)
    {
        if (FromMovedAsideStore(record) && reason is not (LossReason.Rejected or LossReason.Invalid or LossReason.Corrupt))
        {
            // It would stay in a store that is no longer there.
            Done(record);
            _reporter.Lost(LossReason.Corrupt, record.Kind, RecordKinds.Describe(record.Kind, record.Name), null, "was in the durable buffer's store when it was found damaged, and could not be delivered " +
                "before it ended (" + detail + "); the file was moved to " + _deadLetters.Path, exception);
            return;
        }
        switch (reason)
        {
            case LossReason.Rejected:
            case LossReason.Invalid:
            case LossReason.Corrupt:
                MoveAside(record, reason, detail, exception);
                return;
            case LossReason.RetryLimit:
                ReportDeferral(record, detail);
                lock (_inFlight)
                {
                    _inFlight.Remove(record.Id);
                    _rescanAt ??= _time.GetUtcNow() + RetryLater;
                }
                // The pump may be waiting with no pass planned: it plans this one.
                Wake();
                return;
            default:
                // The shutdown deadline (or a configuration error): the record stays on disk, to be sent later.
                Done(record);
                return;
        }
    }

    void MoveAside(BufferRecord record, LossReason reason, string detail, Exception? exception)
    {
        var file = _deadLetters.TryWrite(record.Id, LossReasons.TagValue(reason), record.Body);
        if (file == null && Interlocked.Exchange(ref _deadLettersFullReported, 1) == 0)
        {
            SelfLog.WriteLine("{0}", string.Format(CultureInfo.InvariantCulture,
                "LogTrace: the dead-letter folder {0} holds its limit of {1} bytes (a tenth of bufferSizeLimitBytes), or cannot be written; " +
                "records that would be moved there are discarded, each counted and reported. Inspect and remove the files there.",
                _deadLetters.Path, _deadLetters.LimitBytes));
        }
        if (Delete(record))
            Done(record);
        _reporter.Lost(reason, record.Kind, RecordKinds.Describe(record.Kind, record.Name), null, detail + (file != null
            ? "; it was moved to " + file
            : string.Format(CultureInfo.InvariantCulture, "; the dead-letter folder {0} holds its limit of {1} bytes (or cannot be written), so it was discarded",
                _deadLetters.Path, _deadLetters.LimitBytes)), exception);
    }

    bool FromMovedAsideStore(BufferRecord record)
    {
        lock (_inFlight)
            return record.Id <= _recoveredUpTo;
    }

    // Records settled (delivered, or moved aside) that could not be removed from the store: the store still counts
    // them, but they are not waiting to be sent.
    public long Unremoved => Interlocked.Read(ref _unremoved);

    // False when the record could not be removed: it then stays reserved, so this process never sends it again (the
    // next start does: a duplicate with the same _event_id, never a loss).
    bool Delete(BufferRecord record)
    {
        try
        {
            _store.Delete(record);
            return true;
        }
        catch (Exception ex)
        {
            if (!FromMovedAsideStore(record))
                Interlocked.Increment(ref _unremoved);
            if (_deleteFailureReports.Allow())
            {
                SelfLog.WriteLine("{0}", string.Format(CultureInfo.InvariantCulture,
                    "LogTrace: could not remove a delivered record from the durable buffer at {0} ({1}: {2}); such records are not sent again " +
                    "by this process, but the next start sends them again (with the same _event_id)",
                    _store.Folder, ex.GetType().Name, ex.Message));
            }
            return false;
        }
    }

    void Done(BufferRecord record)
    {
        lock (_inFlight)
            _inFlight.Remove(record.Id);
    }

    // Not a loss: the record stays buffered. Written at most once per LossReporter interval.
    void ReportDeferral(BufferRecord record, string detail)
    {
        if (_deferralReports.Allow())
            SelfLog.WriteLine("LogTrace {0} {1}; it stays in the durable buffer and is tried again", RecordKinds.Describe(record.Kind, record.Name), detail);
    }

    sealed class StoredTicket : DeliveryTicket
    {
        readonly BufferPump _pump;
        readonly BufferRecord _record;

        public StoredTicket(BufferPump pump, BufferRecord record)
        {
            _pump = pump;
            _record = record;
        }

        public override DateTimeOffset LoggedAt => _record.LoggedAt;

        public override RecordKind Kind => _record.Kind;

        public override void Delivered(TimeSpan latency) => _pump.Delivered(_record, latency);

        public override void Lost(LossReason reason, string detail, Exception? exception) => _pump.NotDelivered(_record, reason, detail, exception);
    }
}

// One event for a sender: who to tell the outcome, and the body to send.
readonly struct SendItem
{
    public SendItem(DeliveryTicket ticket, ReadOnlyMemory<byte> body)
    {
        Ticket = ticket;
        Body = body;
    }

    public DeliveryTicket Ticket { get; }

    public ReadOnlyMemory<byte> Body { get; }
}
