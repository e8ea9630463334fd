using System;
using Serilog.Sinks.LogTrace.Configuration;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Sending;
using Serilog.Sinks.LogTrace.Records;
using Serilog.Sinks.LogTrace.Http;
using Serilog.Sinks.LogTrace.Pipeline;

namespace Serilog.Sinks.LogTrace.Buffering;

// The outbox with a durable buffer (bufferPath). Its writer (BufferWriter) appends the sink's queue to the store. The
// pump then feeds the senders from the store, oldest first, and EventDelivery sends with the same rules as in memory,
// except that nothing still in the store is given up: a record that is not delivered by the shutdown deadline, or
// within the retry time limit, stays on disk and is sent later.
//
// The application's thread never touches the disk: it only passes the admission check and writes to the queue.
sealed class DurableOutbox : Outbox
{
    readonly SinkParts _parts;
    readonly LogTraceApi _api;
    readonly LossReporter _reporter;
    readonly ShutdownDeadline _shutdown;
    readonly EventDelivery _delivery;
    readonly EventStore _store;
    readonly BufferLock _lock;
    readonly BufferPump _pump;
    readonly BufferWriter _writer;
    // Requests under way (the senders, from the buffer or from memory), for the abandonment's line.
    int _requests;
    readonly OncePerInterval _sendFailureReports;
    readonly Task _workers;
    int _acceptedNoted;

    // carried: records this process moved from memory into the store before it (HeldBufferOutbox), not an earlier run's,
    // by kind (index: RecordKind).
    public DurableOutbox(SinkParts parts, LogTraceApi api, LogTraceEventFormatter formatter, EventStore store, BufferLock bufferLock,
        DeadLetterFolder deadLetters, long[]? carried = null)
    {
        long carriedCount = 0;
        for (var k = 0; carried != null && k < carried.Length; k++)
            carriedCount += carried[k];
        var options = parts.Settings.Options;
        var time = parts.Time;
        _parts = parts;
        _api = api;
        _store = store;
        _lock = bufferLock;
        _reporter = parts.Reporter;
        _shutdown = parts.Shutdown;
        var retryTimeLimit = options.RetryTimeLimit > BufferPump.MinimumRetryTimeLimit ? options.RetryTimeLimit : BufferPump.MinimumRetryTimeLimit;
        _delivery = new EventDelivery(api, formatter, parts.Ledger, parts.Counters, parts.Answers, _shutdown, time, retryTimeLimit, waitOutRefusals: true,
            ignored: parts.Ignored);
        _pump = new BufferPump(store, deadLetters, _reporter, parts.Counters, _shutdown, time, options.MaxConcurrentRequests,
            () => (_delivery.RefusedRoutes(out var recheckIn), recheckIn));
        _writer = new BufferWriter(parts, _delivery, store, _pump);
        _sendFailureReports = new OncePerInterval(time);
        parts.Counters.ObserveBuffer(() => Buffered ?? 0, () => _store.Bytes);

        if (store.LostAtOpen > 0)
        {
            // Said with its figure when the store was opened (StoreSalvage); counted here, where the counters are.
            _reporter.Lost(LossReason.Corrupt, null, "record (in the damaged store)", null,
                "was in the durable buffer's store, found damaged at start, and could not be read back; the file was moved to " + deadLetters.Path,
                null, store.LostAtOpen);
        }
        if (store.Count - carriedCount > 0)
        {
            QuietSelfLog.WriteLine("LogTrace: the durable buffer at {0} holds {1} from an earlier run; they are delivered first, oldest first",
                store.Folder, Records(store.Count - carriedCount, carried));
        }

        var workers = new Task[options.MaxConcurrentRequests + 2];
        using (ExecutionContext.IsFlowSuppressed() ? null : (IDisposable)ExecutionContext.SuppressFlow())
        {
            workers[0] = Task.Run(_writer.RunAsync);
            workers[1] = Task.Run(_pump.RunAsync);
            for (var i = 2; i < workers.Length; i++)
                workers[i] = Task.Run(SendLoopAsync);
        }
        _workers = Task.WhenAll(workers);
    }

    internal EventStore Store => _store;

    // Events on disk and not yet delivered: the store's records, less those delivered that could not be removed.
    public override long? Buffered => _store.Count - _pump.Unremoved;

    // The store's first record, and the writer's batch (taken from the queue, not yet on disk). One delivered but not
    // removed may stand in for a newer one (the store keeps it until the next start). The store's first is by id, not
    // by time: a record held for its HTTP request is written behind the records logged during that wait, so the age
    // can be short by at most the request's MaxEventHold (5 s by default) once it is on disk. A store that cannot be
    // read now says nothing rather than fail the status.
    public override DateTimeOffset? OldestUndelivered()
    {
        DateTimeOffset? stored;
        try
        {
            stored = _store.OldestLoggedAt();
        }
        catch (Exception)
        {
            stored = null;
        }
        return SinkStatus.Earlier(stored, _writer.OldestWriting());
    }

    public override Task Completion => _workers;

    async Task SendLoopAsync()
    {
        var reader = _pump.Work;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var item))
            {
                Interlocked.Increment(ref _requests);
                try
                {
                    await _delivery.SendAsync(item.Ticket, item.Body).ConfigureAwait(false);
                    if (_acceptedNoted == 0 && _parts.Counters.Sent > 0)
                        NoteAccepted();
                }
                catch (Exception ex)
                {
                    // SendAsync tells every ticket itself; this is the last line of defence for the sender. A record from
                    // the store is put back, to be sent again later; one sent from memory (the store could not take it)
                    // is lost, counted. A ticket already told keeps its first outcome.
                    if (_sendFailureReports.Allow())
                        QuietSelfLog.WriteLine("LogTrace: an unexpected error while sending from the durable buffer: {0}", ex.GetType().Name);
                    try
                    {
                        var fromMemory = item.Ticket is MemoryTicket;
                        item.Ticket.Lost(fromMemory ? LossReason.Invalid : LossReason.RetryLimit,
                            "could not be sent because of an unexpected error in the sink (" + ex.GetType().Name + ")" +
                            (fromMemory ? "" : "; it stays in the durable buffer"), null);
                    }
                    catch (Exception)
                    {
                        // The record stays reserved until the next start: never a reason to stop the sender.
                    }
                }
                finally
                {
                    Interlocked.Decrement(ref _requests);
                }
            }
        }
    }

    // "12 audit logs", "5 events", "8 records (5 events, 2 audit logs, 1 session)": named by kind where the store can
    // say (RecordCounts), else "N records".
    // less: counts by kind the store holds but `total` does not (the carried records).
    string Records(long total, long[]? less = null)
    {
        long[]? counts;
        try
        {
            counts = _store.CountByKind();
            if (counts != null && less != null)
            {
                counts = (long[])counts.Clone();
                for (var k = 0; k < counts.Length && k < less.Length; k++)
                    counts[k] -= less[k];
            }
        }
        catch (Exception)
        {
            counts = null;
        }
        return RecordCounts.Describe(total, counts);
    }

    // Once per run, the first time the service accepts a record: the backlog is this endpoint's (BacklogOwner).
    void NoteAccepted()
    {
        if (Interlocked.Exchange(ref _acceptedNoted, 1) != 0)
            return;
        try
        {
            Durable.BacklogOwner.Accepted(_store, LogTraceSinkSettings.TextOf(_parts.Settings.BaseUri));
        }
        catch (Exception)
        {
            // Only a later start with another endpoint reads it: it then sends the backlog there, as for a fix.
        }
    }

    // Names what is stuck: the writer while it holds a batch (a before-send hook or a disk write that does not
    // return), the senders while a request is under way (an HttpMessageHandler that does not honour cancellation);
    // both causes when both, or neither, is seen. unfinished: records not yet written to the buffer, counted lost by
    // the ledger; those in flight are in the buffer, for the next run.
    public override void OnAbandoned(long unfinished)
    {
        // Done already (a held buffer's shutdown asks both outboxes): the memory outbox's line names what is stuck.
        if (_workers.IsCompleted)
            return;
        var writing = _writer.OldestWriting() != null;
        var requests = Volatile.Read(ref _requests);
        var (busy, cause) = (writing, requests > 0) switch
        {
            (true, false) => ("writer was", "a before-send hook or a disk write that does not return"),
            (false, true) => ("senders were", "an HttpMessageHandler that does not honour cancellation, with " +
                RecordCounts.Describe(requests, null) + " in flight"),
            _ => ("writer or senders were", "a before-send hook or a disk write that does not return, or an HttpMessageHandler that does not honour cancellation"),
        };
        QuietSelfLog.WriteLine("{0}", string.Format(CultureInfo.InvariantCulture,
            "LogTrace: the durable buffer's {0} still busy {1} after the shutdown timeout of {2} ({3}); shutdown goes on " +
            "without them, and records already in the durable buffer stay there for the next run{4}", busy, LogTraceSink.AbandonAfter,
            _shutdown.Timeout, cause,
            unfinished > 0 ? "; " + RecordCounts.Describe(unfinished, null) + " not yet written to it " + (unfinished == 1 ? "is" : "are") +
                " counted as lost (shutdown)" : ""));
    }

    public override void Close()
    {
        var counters = _parts.Counters;
        var remaining = Buffered ?? 0;
        var unremoved = _pump.Unremoved;
        if (remaining > 0 && !_store.FileExists)
        {
            _reporter.Lost(LossReason.Shutdown, null, "record (in the removed buffer)", null, "was in the durable buffer, whose files were removed while the process ran", null, remaining);
            QuietSelfLog.WriteLine("LogTrace: {0} were left in the durable buffer at {1}, whose files were removed while the process ran: they are lost",
                Records(remaining), _store.Folder);
        }
        else if (remaining > 0)
        {
            QuietSelfLog.WriteLine("{0}", string.Format(CultureInfo.InvariantCulture,
                "LogTrace: {0} remain in the durable buffer at {1}, not lost: the next start with this bufferPath delivers them; " +
                "sent in all: {2}{3}", Records(remaining), _store.Folder, counters.Sent,
                _delivery.LastFailure == null ? "" : "; the last failure: " + _delivery.LastFailure));
        }
        if (unremoved > 0)
        {
            QuietSelfLog.WriteLine("LogTrace: {0} delivered could not be removed from the durable buffer at {1}; the next start sends them again " +
                "(with the same _event_id)", RecordCounts.Describe(unremoved, null), _store.Folder);
        }
        _writer.WriteSummary();
        _store.Dispose();
        _lock.Dispose();
        _writer.Dispose();
        _api.Dispose();
    }
}
