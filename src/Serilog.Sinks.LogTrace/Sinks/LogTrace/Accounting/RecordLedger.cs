using System;
using System.Globalization;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Records;
using Serilog.Sinks.LogTrace.Pipeline;
using Serilog.Sinks.LogTrace.Sending;

namespace Serilog.Sinks.LogTrace.Accounting;

// Every record the sink accepts is counted from admission until it is finished: sent, lost for one reason, or written
// to the durable buffer (which accounts for it from then on). The queue's bounds (records and estimated bytes) are
// enforced on the way in, on the application's thread; the bytes a record was admitted with are given back exactly
// when it is finished, and its flush epoch is told (FlushEpochs): a flush waits for exactly these outcomes.
sealed class RecordLedger
{
    readonly FlushEpochs _epochs = new();
    readonly LogTraceSinkCounters _counters;
    readonly LossReporter _reporter;
    readonly int _limit;
    readonly long _limitBytes;
    readonly string _overEvents;
    // Set once the shutdown gave up on the outbox (Abandon): the records unfinished then are counted lost at once, so
    // whatever becomes of them later only gives their bytes and epochs back.
    volatile bool _abandoned;

    public RecordLedger(LogTraceSinkCounters counters, LossReporter reporter, int limit, long limitBytes)
    {
        _counters = counters;
        _reporter = reporter;
        _limit = limit;
        _limitBytes = limitBytes;
        // Made once: an outage can drop records at the bound as fast as the application logs them.
        _overEvents = string.Format(CultureInfo.InvariantCulture,
            "was dropped because the queue already holds {0} (queueLimit); the service is slower than the application logs, or unreachable",
            RecordCounts.Describe(limit, null));
    }

    // Before a record is even made: true when the log event is refused whatever its size (the shutdown has begun, or
    // the queue holds queueLimit records already), counted and reported. Such an event costs no copy and no size
    // estimate: an outage drops records at the bound as fast as the application logs them.
    public bool RefusedAtOnce(LogEvent logEvent, bool shuttingDown)
    {
        if (!shuttingDown && _counters.Queued < _limit)
            return false;
        var record = new PendingRecord(logEvent, logEvent, null, 0);
        if (shuttingDown)
            _reporter.Lost(LossReason.Shutdown, record, "was logged after the sink began shutting down, and was dropped", null);
        else
            _reporter.Lost(LossReason.QueueFull, record, _overEvents, null);
        return true;
    }

    // Admitted: the record is counted in the current flush epoch, which it carries from now on.
    public bool TryAdmit(ref PendingRecord record, bool shuttingDown)
    {
        if (shuttingDown)
        {
            _reporter.Lost(LossReason.Shutdown, record, "was logged after the sink began shutting down, and was dropped", null);
            return false;
        }

        var size = record.Size;
        var admission = _counters.TryAdmit(_limit, size, _limitBytes);
        if (admission == Admission.Admitted)
        {
            record = record.In(_epochs.Enter());
            return true;
        }

        _reporter.Lost(LossReason.QueueFull, record, admission == Admission.OverEvents
            ? _overEvents
            : string.Format(CultureInfo.InvariantCulture,
                "was dropped because the events already queued hold about {0} bytes, and this one about {1} more (queueLimitBytes: {2}); " +
                "the service is slower than the application logs, or unreachable, or the events are very large",
                _counters.QueuedBytes, size, _limitBytes), null);
        return false;
    }

    // The records admitted until now, for a flush: settled once each of them is finished.
    public FlushEpoch CloseEpoch() => _epochs.Close();

    // The shutdown gave up on the outbox (LogTraceSink.AbandonAfter past its deadline): something holds records and
    // does not return (a before-send hook, an HttpMessageHandler that ignores cancellation, a disk write). Every record
    // unfinished now is counted lost (shutdown, of unknown kind) and its later outcome is not counted again: after
    // disposal, nothing may be left neither sent nor lost. Every flush epoch is settled, so no flush waits for them. A
    // record lost after it is still handed to the failure listener (a fallback sink keeps its copy). Returns how many.
    // A record that finishes at this very moment may be counted both ways; one that reaches the durable buffer after it
    // is sent by the next run.
    public long Abandon()
    {
        _abandoned = true;
        var unfinished = _counters.Queued;
        if (unfinished > 0)
            _counters.AddLost(LossReason.Shutdown, null, unfinished);
        _epochs.AbandonAll();
        return unfinished;
    }

    // The record was accepted by the service.
    public void Delivered(in PendingRecord record, RecordKind kind, TimeSpan latency)
    {
        if (!_abandoned)
            _counters.AddSent(latency, kind);
        Finish(record.Size, record.Epoch);
    }

    public void Delivered(in FormattedRecord record, TimeSpan latency)
    {
        if (!_abandoned)
            _counters.AddSent(latency, record.Kind);
        Finish(record.Size, record.Epoch);
    }

    // In a dry run: written to the dry run's output instead of being sent.
    public void WrittenInDryRun(in FormattedRecord record)
    {
        if (!_abandoned)
            _counters.AddDryRun();
        Finish(record.Size, record.Epoch);
    }

    // Finished even when the report throws: its bytes go back and a flush waiting for it is not kept waiting.
    public void Lost(in PendingRecord record, LossReason reason, string detail, Exception? exception)
    {
        try
        {
            if (!_abandoned)
                _reporter.Lost(reason, record, detail, exception);
            else
                _reporter.HandOver(reason, RecordKinds.Describe(record.Event, out _), new[] { record.Original }, detail, exception);
        }
        finally
        {
            Finish(record.Size, record.Epoch);
        }
    }

    public void Lost(in FormattedRecord record, LossReason reason, string detail, Exception? exception)
    {
        try
        {
            if (!_abandoned)
                _reporter.Lost(reason, record.Kind, record.Name, record.Original, detail, exception);
            else
                _reporter.HandOver(reason, RecordKinds.Describe(record.Kind, record.Name), record.Original == null ? null : new[] { record.Original }, detail, exception);
        }
        finally
        {
            Finish(record.Size, record.Epoch);
        }
    }

    // The last line of defence of a sender or a writer, which must outlive any event: an unexpected error in the sink
    // (`failed`: "could not be sent", ...) loses this one event, counted and reported; the report itself never throws,
    // and the event is finished either way (Lost).
    public void LostToAnError(in PendingRecord record, string failed, Exception ex)
    {
        try
        {
            Lost(record, LossReason.Invalid, failed + " because of an unexpected error in the sink (" + ex.GetType().Name + ")", ex);
        }
        catch (Exception reportFailure)
        {
            QuietSelfLog.WriteLine("LogTrace: an event {0} or reported because of an unexpected error in the sink: {1}; {2}", failed, ex, reportFailure);
        }
    }

    public void LostToAnError(in FormattedRecord record, string failed, Exception ex)
    {
        try
        {
            Lost(record, LossReason.Invalid, failed + " because of an unexpected error in the sink (" + ex.GetType().Name + ")", ex);
        }
        catch (Exception reportFailure)
        {
            QuietSelfLog.WriteLine("LogTrace: an event {0} or reported because of an unexpected error in the sink: {1}; {2}", failed, ex, reportFailure);
        }
    }

    // Finished without a request or a loss: written to the durable buffer, which accounts for it from then on.
    public void Buffered(in PendingRecord record) => Finish(record.Size, record.Epoch);

    // The same for a record formatted in memory and then moved to the durable buffer (Buffering.HeldBufferOutbox).
    public void Buffered(in FormattedRecord record) => Finish(record.Size, record.Epoch);

    // Every outcome ends here: the record's bytes go back to the queue's bound, and its flush epoch is told.
    void Finish(long size, FlushEpoch? epoch)
    {
        _counters.Release(size);
        epoch?.Settle();
    }
}
