using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Sending;

namespace Serilog.Sinks.LogTrace.Buffering;

// Feeds the senders from the durable buffer, oldest record first; BufferSettlement settles each record's outcome.
//
// A record is read again only once no sender has it (InFlightRecords). A record that used up its retry time limit
// gives its sender back (so a few events the service keeps failing cannot hold every sender) and is tried again
// RetryLater after that: the pump then reads from the start once more. Delivered records are deleted, so the rows before the cursor are only
// those put back or in flight, and the pass is cheap. The records of a route the service refuses now (a closed
// ConfigurationGate) are not read at all until its recheck: a refused route's backlog costs no pass.
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
    readonly Func<(int Refused, TimeSpan RecheckIn)>? _refusedRoutes;
    readonly ShutdownDeadline _shutdown;
    readonly TimeProvider _time;
    readonly Channel<SendItem> _work;
    readonly InFlightRecords _inFlight;
    readonly BufferSettlement _settlement;
    readonly object _signalLock = new();
    TaskCompletionSource<bool> _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly OncePerInterval _readFailureReports;
    int _writersDone;

    public BufferPump(EventStore store, DeadLetterFolder deadLetters, LossReporter reporter, LogTraceSinkCounters counters,
        ShutdownDeadline shutdown, TimeProvider time, int senders, Func<(int Refused, TimeSpan RecheckIn)>? refusedRoutes = null)
    {
        // refusedRoutes: the routes refused now (bit 1 << (int)RecordKind each) and how long until the first recheck
        // (EventDelivery.RefusedRoutes).
        _refusedRoutes = refusedRoutes;
        _store = store;
        _deadLetters = deadLetters;
        _reporter = reporter;
        _shutdown = shutdown;
        _time = time;
        _work = Channel.CreateBounded<SendItem>(new BoundedChannelOptions(senders));
        _inFlight = new InFlightRecords(time);
        _settlement = new BufferSettlement(store, deadLetters, reporter, counters, _inFlight, time, Wake);
        _readFailureReports = new OncePerInterval(time);
    }

    // Records settled (delivered, or moved aside) that could not be removed from the store: the store still counts
    // them, but they are not waiting to be sent.
    public long Unremoved => _settlement.Unremoved;

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
                // Read before the store is: the writers say they are done only after their last append, so a read
                // that starts after this saw them done finds every record. Read after it, the flag could follow an
                // append this read missed, and the pump would stop with that record on disk (found by the NativeAOT
                // smoke test in CI: two records logged just before disposal stayed in the buffer, unsent).
                var writersWereDone = Volatile.Read(ref _writersDone) == 1;
                if (_inFlight.RescanDue())
                    cursor = 0;
                var (refused, recheckIn) = _refusedRoutes?.Invoke() ?? (0, TimeSpan.Zero);
                if (refused != 0)
                    _inFlight.RescanAfter(recheckIn);
                var (records, readUpTo) = await ReadAndReserveAsync(cursor, refused).ConfigureAwait(false);
                if (records == null)
                    continue;   // the read failed: paused, or the store started anew; read again
                if (readUpTo == cursor)
                {
                    // At shutdown, records put back stay on disk for the next start.
                    if (writersWereDone)
                        break;
                    await Clock.WhenAnyOrDelayAsync(_time, signal.Task, _inFlight.UntilRescan(), _shutdown.Deadline).ConfigureAwait(false);
                    continue;
                }

                cursor = readUpTo;
                foreach (var record in records)
                {
                    if (record.Corrupt)
                        _settlement.MoveAside(record, LossReason.Corrupt, "was read back from the durable buffer damaged (its checksum does not match); it was not sent", null);
                    else
                        await _work.Writer.WriteAsync(new SendItem(_settlement.TicketFor(record), record.Body), _shutdown.Deadline).ConfigureAwait(false);
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
    // read up to (InFlightRecords: reading and reserving happen under its lock). Records null: the read failed (after
    // a pause, or the store was started anew), and is to be tried again.
    async Task<(List<BufferRecord>? Records, long ReadUpTo)> ReadAndReserveAsync(long cursor, int refused)
    {
        try
        {
            return _inFlight.ReadAndReserve(() => _store.ReadAfter(cursor, ReadSize, refused), cursor);
        }
        catch (Exception ex)
        {
            if (!Recovered(ex, cursor))
            {
                if (_readFailureReports.Allow())
                {
                    QuietSelfLog.WriteLine("{0}", string.Format(CultureInfo.InvariantCulture,
                        "LogTrace: could not read the durable buffer at {0} ({1}: {2}); trying again every {3} s",
                        _store.Folder, ex.GetType().Name, ex.Message, ReadFailurePause.TotalSeconds));
                }
                await Clock.Delay(_time, ReadFailurePause, _shutdown.Deadline).ConfigureAwait(false);
            }
            return (null, cursor);
        }
    }

    // An append found the store damaged (a page only writing touches, such as the free-page list, so reads never
    // see it): the same recovery as a read's. True when the store was started anew, and the append can be tried again.
    public bool RecoveredFromWriteFailure(Exception failure) => Recovered(failure, 0);

    // A store damaged beyond single records moved its file aside and started anew: the records that went with it
    // are counted as corrupt (the store's own SelfLog line says where the file is). Records in flight still finish.
    bool Recovered(Exception failure, long cursor)
    {
        long? lost;
        try
        {
            lost = _inFlight.Recover(cursor, (idsAbove, inFlight, inFlightCount) => _store.TryRecover(failure, idsAbove, inFlight, inFlightCount), _settlement.ForgetUnremoved);
        }
        catch (Exception ex)
        {
            QuietSelfLog.WriteLine("LogTrace: the durable buffer at {0} is damaged and could not be started anew: {1}", _store.Folder, ex.Message);
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
