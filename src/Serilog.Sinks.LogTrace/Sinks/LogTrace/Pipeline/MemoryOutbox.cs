using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Sending;
using Serilog.Sinks.LogTrace.Records;
using Serilog.Sinks.LogTrace.Http;

namespace Serilog.Sinks.LogTrace.Pipeline;

// The outbox without a durable buffer. One loop takes records from the sink's queue as they come (after their request,
// RecordQueue), formats each once, off the application's thread, and keeps the body in pooled segments
// (BodySegments): what waits during a backlog is bytes, not log events. A fixed set of senders (maxConcurrentRequests)
// sends the bodies, one request each (the service has no batch endpoint). A record that is being retried holds one
// sender, never the others.
sealed class MemoryOutbox : Outbox
{
    readonly SinkParts _parts;
    readonly LogTraceApi _api;
    readonly EventDelivery _delivery;
    // In a dry run, where the senders write each record instead of sending it; null otherwise.
    readonly DryRunOutput? _dryRun;
    readonly ReadyLine _ready;
    readonly Task _completion;
    readonly Task _formatLoop;
    readonly CancellationToken _stopTaking;
    readonly bool _ownsApi;
    // Per sender: the UTC ticks at which the record it is sending (or waiting to retry) was logged; 0 when idle.
    readonly long[] _sending;
    // The same for the record the formatting loop is formatting.
    long _formatting;
    // The records this outbox lost to the shutdown timeout, by kind: after a hand-over, the sink's counter also holds
    // the other outbox's, which that one sums up itself.
    readonly long[] _lostAtShutdown = new long[RecordKinds.Count];
    // CountLostAtShutdown as a delegate, made once: a method group converted at each record is a new delegate each time.
    readonly Action<RecordKind> _countLostAtShutdown;

    // stopTaking: cancelled when another outbox takes the queue over (Buffering.HeldBufferOutbox): the formatting
    // loop stops taking records, and HandOver then gives the records formatted and waiting. ownsApi: Close disposes it.
    // dryRun: the records are written there instead of being sent (LogTraceSinkOptions.DryRun).
    public MemoryOutbox(SinkParts parts, LogTraceApi api, LogTraceEventFormatter formatter, CancellationToken stopTaking = default, bool ownsApi = true,
        DryRunOutput? dryRun = null)
    {
        _dryRun = dryRun;
        _countLostAtShutdown = CountLostAtShutdown;
        _parts = parts;
        _api = api;
        _stopTaking = stopTaking;
        _ownsApi = ownsApi;
        _ready = new ReadyLine(parts.Queue.Late);
        var options = parts.Settings.Options;
        _delivery = new EventDelivery(api, formatter, parts.Ledger, parts.Counters, parts.Answers, parts.Shutdown, parts.Time, options.RetryTimeLimit,
            ignored: parts.Ignored);

        var loops = new Task[options.MaxConcurrentRequests + 1];
        _sending = new long[options.MaxConcurrentRequests];
        // The loops belong to the sink, not to whichever caller created it.
        using (ExecutionContext.IsFlowSuppressed() ? null : (IDisposable)ExecutionContext.SuppressFlow())
        {
            loops[0] = Task.Run(FormatLoopAsync);
            for (var i = 1; i < loops.Length; i++)
            {
                var sender = i - 1;
                loops[i] = Task.Run(() => SendLoopAsync(sender));
            }
        }
        _formatLoop = loops[0];
        _completion = Task.WhenAll(loops);
    }

    public override Task Completion => _completion;

    // Records formatted and waiting for a sender.
    internal int WaitingToBeSent => _ready.Count;

    // The formatting loop: done once the queue has completed or the outbox has stopped taking from it.
    internal Task FormatLoop => _formatLoop;

    async Task FormatLoopAsync()
    {
        var bodies = new BodySegments(_parts.Settings.Options.BodyPool);
        try
        {
            using var buffers = new FormatBuffers();
            var queue = _parts.Queue;
            while (!_stopTaking.IsCancellationRequested)
            {
                if (!queue.TryTake(out var record))
                {
                    // Nothing more to format for now: the segment is not kept for a trickle of records to come.
                    bodies.Seal();
                    var next = await queue.TakeAsync(_stopTaking).ConfigureAwait(false);
                    if (next == null)
                        break;
                    record = next.Value;
                    next = null;
                }
                FormatOne(record, buffers, bodies);
                // The loop's locals outlive an await (they are the state machine's fields): a record waiting for its
                // sender keeps no log event alive through them.
                record = default;
            }
        }
        finally
        {
            bodies.Seal();
            // Handed over: the line is completed by HandOver, once the other outbox has taken what it can.
            if (!_stopTaking.IsCancellationRequested)
                _ready.Complete();
        }
    }

    // After stopTaking was cancelled: waits until the formatting loop has stopped, then gives `take` the records
    // formatted and waiting for a sender (senders may take some meanwhile: each record goes one way only). `take`
    // returns those it did not take, which stay with the senders, as all do if it throws.
    internal async Task HandOverAsync(Func<List<FormattedRecord>, IReadOnlyList<FormattedRecord>> take)
    {
        IReadOnlyList<FormattedRecord> left = [];
        try
        {
            await _formatLoop.ConfigureAwait(false);
            var waiting = _ready.TakeAll();
            // If take throws, every one of them goes back to the senders.
            left = waiting;
            left = take(waiting);
        }
        catch (Exception ex)
        {
            QuietSelfLog.WriteLine("LogTrace: an unexpected error while handing records over to the durable buffer ({0}); they are sent from memory", ex.GetType().Name);
        }
        finally
        {
            foreach (var record in left)
            {
                // The formatting loop completes the line itself when the queue completed before the hand-over
                // began (a shutdown a moment earlier): what cannot go back to the senders is counted, not dropped.
                if (!_ready.TryAdd(record))
                {
                    _parts.Ledger.Lost(record, LossReason.Shutdown, "could not be handed back to the senders because the sink was shutting down", null);
                    record.Body.Release();
                }
            }
            _ready.Complete();
        }
    }

    void FormatOne(in PendingRecord record, FormatBuffers buffers, BodySegments bodies)
    {
        Volatile.Write(ref _formatting, record.Event.Timestamp.UtcTicks);
        try
        {
            if (_parts.Shutdown.Deadline.IsCancellationRequested)
            {
                CountLostAtShutdown(RecordKinds.TryGetMarker(record.Event, out var marked, out _) ? marked : RecordKind.Event);
                _parts.Ledger.Lost(record, LossReason.Shutdown, "could not be sent before the shutdown timeout", null);
            }
            else if (_delivery.TryFormat(record, buffers, out var kind))
                Ready(record, kind, bodies.Append(buffers.Body.Span));
        }
        catch (Exception ex)
        {
            // TryFormat accounts for every record itself; this is the last line of defence for the loop.
            _parts.Ledger.LostToAnError(record, "could not be formatted", ex);
        }
        Volatile.Write(ref _formatting, 0);
    }

    // The record's log event is let go here, unless a failure listener may need it (FormattedRecord.Original).
    // The line is completed only by the formatting loop, after its last write: the write succeeds.
    void Ready(in PendingRecord record, RecordKind kind, StoredBody body) =>
        _ready.TryAdd(new FormattedRecord(body, kind, RecordKinds.NameOf(record.Event, kind), record.Event.Timestamp, record.Size,
            _parts.Reporter.HasListener ? record.Original : null, record.Epoch, late: record.Waited));

    public override DateTimeOffset? OldestUndelivered()
    {
        var oldest = _ready.HeadLoggedAt?.UtcTicks ?? long.MaxValue;
        var formatting = Volatile.Read(ref _formatting);
        if (formatting != 0 && formatting < oldest)
            oldest = formatting;
        for (var i = 0; i < _sending.Length; i++)
        {
            var ticks = Volatile.Read(ref _sending[i]);
            if (ticks != 0 && ticks < oldest)
                oldest = ticks;
        }
        return oldest == long.MaxValue ? null : new DateTimeOffset(oldest, TimeSpan.Zero);
    }

    async Task SendLoopAsync(int sender)
    {
        while (true)
        {
            FormattedRecord record;
            try
            {
                // Each waiting sender is woken by a record of its own, not all of them at once.
                record = await _ready.ReadAsync().ConfigureAwait(false);
            }
            catch (ChannelClosedException)
            {
                return;
            }
            // The sender's slot shows the record before it stops counting late: the status never misses it.
            Volatile.Write(ref _sending[sender], record.LoggedAt.UtcTicks);
            _ready.Left(record);
            await SendAsync(record).ConfigureAwait(false);
            Volatile.Write(ref _sending[sender], 0);
        }
    }

    async Task SendAsync(FormattedRecord record)
    {
        var ticket = new FormattedRecordTicket(record, _parts.Ledger, _countLostAtShutdown);
        try
        {
            if (_parts.Shutdown.Deadline.IsCancellationRequested)
                ticket.Lost(LossReason.Shutdown, "could not be sent before the shutdown timeout", null);
            else if (_dryRun != null)
                _dryRun.Write(record);
            else
                await _delivery.SendAsync(ticket, record.Body.Bytes).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // SendAsync tells every ticket itself; this is the last line of defence for the sender (a ticket already
            // told keeps its first outcome).
            ticket.LostToAnError(ex);
        }
        finally
        {
            // No request reads the body any more.
            record.Body.Release();
        }
    }

    public override void OnAbandoned(long unfinished) =>
        QuietSelfLog.WriteLine("{0}", string.Format(CultureInfo.InvariantCulture,
            "LogTrace: {0} still in flight or being formatted {1} after the shutdown timeout of {2}: an HttpMessageHandler " +
            "that does not honour cancellation, or a before-send hook that does not return, holds them; shutdown goes on " +
            "without them, and they are counted as lost (shutdown)",
            RecordCounts.Describe(unfinished, null), LogTraceSink.AbandonAfter, _parts.Shutdown.Timeout));

    public override void Close()
    {
        var counters = _parts.Counters;
        // Handed over: only this outbox's own losses (the other outbox says its own).
        var handedOver = _stopTaking.IsCancellationRequested;
        var lostByKind = handedOver ? Snapshot(_lostAtShutdown) : counters.LostByKind(LossReason.Shutdown);
        long lostAtShutdown = 0;
        if (handedOver)
        {
            foreach (var count in lostByKind)
                lostAtShutdown += count;
        }
        else
        {
            lostAtShutdown = counters.LostFor(LossReason.Shutdown);
        }
        if (lostAtShutdown > 0)
        {
            var lastFailure = _delivery.LastFailure;
            QuietSelfLog.WriteLine("{0}", string.Format(CultureInfo.InvariantCulture,
                "LogTrace: {0} could not be delivered within the shutdown timeout of {1} and were dropped; sent in all: {2}{3}",
                RecordCounts.Describe(lostAtShutdown, lostByKind), _parts.Shutdown.Timeout, counters.Sent, lastFailure == null ? "" : "; the last failure: " + lastFailure));
        }
        if (_ownsApi)
            _api.Dispose();
    }

    void CountLostAtShutdown(RecordKind kind) => Interlocked.Increment(ref _lostAtShutdown[(int)kind]);

    static long[] Snapshot(long[] counts)
    {
        var copy = new long[counts.Length];
        for (var k = 0; k < counts.Length; k++)
            copy[k] = Interlocked.Read(ref counts[k]);
        return copy;
    }
}
