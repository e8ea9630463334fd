using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Serilog.Core;
using Serilog.Debugging;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Configuration;
using Serilog.Sinks.LogTrace.Delivery;
using Serilog.Sinks.LogTrace.Formatting;
using Serilog.Sinks.LogTrace.Http;

namespace Serilog.Sinks.LogTrace.Buffering;

// The sink with a durable buffer (bufferPath). Serilog's BatchingSink hands it a batch at least every 100 ms; each
// event is formatted once, to the body that will be sent, and the batch is appended to the store in one transaction.
// The pump then feeds the senders from the store, oldest first, and EventDelivery sends with the same rules as in
// memory, except that nothing still in the store is given up: a record that is not delivered by the shutdown
// deadline, or within the retry time limit, stays on disk and is sent later.
//
// The application's thread never touches the disk: it only passes the admission check, as in memory.
sealed class BufferedLogTraceSink : SenderSink, IBatchedLogEventSink, ILogTraceTarget
{
    // The longest an event waits in memory before it is written, whatever the period.
    internal static readonly TimeSpan WriteInterval = TimeSpan.FromMilliseconds(100);

    readonly LogTraceApi _api;
    readonly LossReporter _reporter;
    readonly QueueAdmission _admission;
    readonly ShutdownDeadline _shutdown;
    readonly EventDelivery _delivery;
    readonly EventHold _hold;
    readonly EventStore _store;
    readonly BufferLock _lock;
    readonly BufferPump _pump;
    readonly FormatBuffers _buffers = new();
    readonly SemaphoreSlim _writing = new(1, 1);
    readonly Task[] _senders;
    readonly Task _pumping;
    readonly TimeProvider _time;
    readonly long _limitBytes;
    readonly OncePerInterval _writeFailureReports;
    int _removedReported;
    long _fallbackLostAtShutdown;
    readonly Action _countFallbackLostAtShutdown;
    BufferLock? _relock;

    public BufferedLogTraceSink(LogTraceApi api, LogTraceEventFormatter formatter, LogTraceSinkSettings settings, EventStore store,
        BufferLock bufferLock, DeadLetterFolder deadLetters)
    {
        var options = settings.Options;
        var time = options.TimeProvider;
        _time = time;
        _api = api;
        _store = store;
        _lock = bufferLock;
        _limitBytes = options.BufferSizeLimitBytes;
        _writeFailureReports = new OncePerInterval(time);
        _countFallbackLostAtShutdown = () => Interlocked.Increment(ref _fallbackLostAtShutdown);
        _reporter = new LossReporter(this, Counters, time, formatter.Text.RedactSecret);
        _admission = new QueueAdmission(Counters, _reporter, options.QueueLimit, options.QueueLimitBytes);
        _shutdown = new ShutdownDeadline(time, options.ShutdownTimeout);
        var retryTimeLimit = options.RetryTimeLimit > BufferPump.MinimumRetryTimeLimit ? options.RetryTimeLimit : BufferPump.MinimumRetryTimeLimit;
        _delivery = new EventDelivery(api, formatter, _admission, Counters, _shutdown, time, retryTimeLimit, waitOutRefusals: true);
        _pump = new BufferPump(store, deadLetters, _reporter, Counters, _shutdown, time, options.MaxConcurrentRequests);
        _hold = new EventHold(time, logEvent => WriteAsync(new[] { logEvent }), _pump.WritersDone);
        Counters.ObserveBuffer(() => Buffered, () => _store.Bytes);

        if (store.Count > 0)
        {
            SelfLog.WriteLine("LogTrace: the durable buffer at {0} holds {1} events from an earlier run; they are delivered first, oldest first",
                store.Folder, store.Count);
        }

        _senders = new Task[options.MaxConcurrentRequests];
        using (ExecutionContext.IsFlowSuppressed() ? null : (IDisposable)ExecutionContext.SuppressFlow())
        {
            _pumping = Task.Run(_pump.RunAsync);
            for (var i = 0; i < _senders.Length; i++)
                _senders[i] = Task.Run(SendLoopAsync);
        }
    }

    public LogTraceSinkCounters Counters { get; } = new();

    internal EventStore Store => _store;

    // Events on disk and not yet delivered: the store's records, less those delivered that could not be removed.
    long Buffered => _store.Count - _pump.Unremoved;

    public void SetFailureListener(ILoggingFailureListener failureListener) =>
        _reporter.SetFailureListener(failureListener ?? throw new ArgumentNullException(nameof(failureListener)));

    public bool TryAdmit(LogEvent logEvent) => _admission.TryAdmit(logEvent, _shutdown.HasBegun);

    public void BeginShutdown() => _shutdown.Begin();

    public async Task EmitBatchAsync(IReadOnlyCollection<LogEvent> batch)
    {
        List<LogEvent>? now = null;
        foreach (var logEvent in batch)
        {
            if (!_hold.TryHold(logEvent, _shutdown.Stopping))
                (now ??= new List<LogEvent>(batch.Count)).Add(logEvent);
        }
        if (now != null)
            await WriteAsync(now).ConfigureAwait(false);
    }

    public Task OnEmptyBatchAsync() => Task.CompletedTask;

    // Formats the events and appends them in one transaction. Never throws: every event ends written, refused
    // (buffer_full) or lost for its own reason; events the store cannot take are sent from memory instead.
    async Task WriteAsync(IReadOnlyList<LogEvent> events)
    {
        await _writing.WaitAsync().ConfigureAwait(false);
        try
        {
            var records = new List<BufferRecord>(events.Count);
            var written = new List<LogEvent>(events.Count);
            // Read once per batch (it takes the store's lock); deliveries meanwhile only lower it.
            var held = _store.Bytes;
            long adding = 0;
            foreach (var logEvent in events)
            {
                if (!TryRecord(logEvent, out var record))
                    continue;
                if (held + adding + record.Size > _limitBytes)
                {
                    _admission.Lost(logEvent, LossReason.BufferFull, string.Format(CultureInfo.InvariantCulture,
                        "was refused because the durable buffer at {0} holds {1} bytes of events already (bufferSizeLimitBytes: {2}); the events " +
                        "already buffered are kept. The service has been unreachable or slower than the application for a long time",
                        _store.Folder, held + adding, _limitBytes), null);
                    continue;
                }
                adding += record.Size;
                records.Add(record);
                written.Add(logEvent);
            }
            if (records.Count == 0)
                return;

            try
            {
                _store.Append(records);
            }
            catch (Exception ex)
            {
                ReportWriteFailure(ex, records.Count);
                for (var i = 0; i < records.Count; i++)
                    await _pump.SendFromMemoryAsync(new MemoryTicket(written[i], records[i].Kind, _admission, _countFallbackLostAtShutdown), records[i].Body).ConfigureAwait(false);
                return;
            }
            foreach (var logEvent in written)
                _admission.Skipped(logEvent);
            _pump.Wake();
            WarnIfRemoved();
        }
        catch (Exception ex)
        {
            SelfLog.WriteLine("LogTrace: an unexpected error while writing to the durable buffer: {0}", ex);
        }
        finally
        {
            _writing.Release();
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
            relocked = "the folder cannot be locked again (" + ex.Message + ")";
        }
        SelfLog.WriteLine("LogTrace: the durable buffer's files at {0} were removed while this process runs (was the folder deleted?): events are still " +
            "written and sent while it lives, but those left at exit are lost; {1}. Restart the process to start a new buffer there.", _store.Folder, relocked);
    }

    // The event formatted into a record; false when it is finished (not a record, or lost). One event's unexpected
    // failure is its own: it never takes the rest of its batch with it.
    bool TryRecord(LogEvent logEvent, out BufferRecord record)
    {
        record = null!;
        try
        {
            if (!_delivery.TryFormat(logEvent, _buffers, out var kind))
                return false;
            record = new BufferRecord(0, NameOf(logEvent, kind), logEvent.Timestamp, _buffers.Body.ToArray(), kind: kind);
            return true;
        }
        catch (Exception ex)
        {
            _admission.LostToAnError(logEvent, "could not be written to the durable buffer", ex);
            return false;
        }
    }

    // What reports call the record: its marker's text (a sign-out has none: its only value is the token).
    static string NameOf(LogEvent logEvent, RecordKind kind) =>
        kind != RecordKind.SessionLogout && RecordKinds.TryGetMarker(logEvent, out _, out var marker) ? RecordKinds.MarkerText(marker) : "";

    // A full disk, or a folder removed under the process: reported at most once per interval, never thrown.
    void ReportWriteFailure(Exception ex, int count)
    {
        if (!_writeFailureReports.Allow())
            return;
        SelfLog.WriteLine("{0}", string.Format(CultureInfo.InvariantCulture,
            "LogTrace: could not write {0} events to the durable buffer at {1} ({2}: {3}); they are sent from memory instead, " +
            "without the buffer's protection, until writing works again (is the disk full?)", count, _store.Folder, ex.GetType().Name, ex.Message));
    }

    async Task SendLoopAsync()
    {
        var reader = _pump.Work;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var item))
            {
                try
                {
                    await _delivery.SendAsync(item.Ticket, item.Body).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    // SendAsync tells every ticket itself; this is the last line of defence for the sender.
                    SelfLog.WriteLine("LogTrace: an unexpected error while sending from the durable buffer: {0}", ex);
                }
            }
        }
    }

    protected override void BeginDispose()
    {
        _shutdown.Begin();
        _hold.Close();
    }

    protected override Task Workers => Task.WhenAll(_senders).ContinueWith(_ => _pumping, TaskScheduler.Default).Unwrap();

    protected override TimeProvider Time => _time;

    protected override CancellationToken Deadline => _shutdown.Deadline;

    protected override void OnAbandoned() =>
        SelfLog.WriteLine("LogTrace: requests were still in flight {0} after the shutdown timeout of {1}, because the HttpMessageHandler does not " +
            "honour cancellation; shutdown goes on without them (their events stay in the durable buffer)", AbandonAfter, _shutdown.Timeout);

    protected override void EndDispose()
    {
        var remaining = Buffered;
        var unremoved = _pump.Unremoved;
        if (remaining > 0 && !_store.FileExists)
        {
            _reporter.Lost(LossReason.Shutdown, null, "record (in the removed buffer)", null, "was in the durable buffer, whose files were removed while the process ran", null, remaining);
            SelfLog.WriteLine("LogTrace: {0} events were left in the durable buffer at {1}, whose files were removed while the process ran: they are lost",
                remaining, _store.Folder);
        }
        else if (remaining > 0)
        {
            SelfLog.WriteLine("{0}", string.Format(CultureInfo.InvariantCulture,
                "LogTrace: {0} events remain in the durable buffer at {1}, not lost: the next start with this bufferPath delivers them; " +
                "{2} were sent in all{3}", remaining, _store.Folder, Counters.Sent,
                _delivery.LastFailure == null ? "" : "; the last failure: " + _delivery.LastFailure));
        }
        if (unremoved > 0)
        {
            SelfLog.WriteLine("LogTrace: {0} delivered records could not be removed from the durable buffer at {1}; the next start sends them again " +
                "(with the same _event_id)", unremoved, _store.Folder);
        }
        var fallbackLost = Interlocked.Read(ref _fallbackLostAtShutdown);
        if (fallbackLost > 0)
        {
            SelfLog.WriteLine("LogTrace: {0} events that could not be written to the durable buffer were not delivered within the shutdown timeout of {1}, and were dropped",
                fallbackLost, _shutdown.Timeout);
        }
        _reporter.Flush();
        _store.Dispose();
        _lock.Dispose();
        _relock?.Dispose();
        _buffers.Dispose();
        _shutdown.Dispose();
        _api.Dispose();
        Counters.Dispose();
    }
}
