using System;
using System.Globalization;
using System.Threading;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Sending;
using Serilog.Sinks.LogTrace.Records;

namespace Serilog.Sinks.LogTrace.Buffering;

// Settles each record's outcome in the durable buffer's store: delivered records are deleted; records the service
// rejected for good, or that failed their checksum, are moved to the dead-letter folder; records not delivered for
// any other reason (the shutdown deadline, the retry time limit, a configuration error) stay where they are and are
// sent again later, by this process or the next one. A record that used up its retry time limit is put back, to be
// read again BufferPump.RetryLater after that.
sealed class BufferSettlement
{
    readonly EventStore _store;
    readonly DeadLetterFolder _deadLetters;
    readonly LossReporter _reporter;
    readonly LogTraceSinkCounters _counters;
    readonly InFlightRecords _inFlight;
    readonly Action _wake;
    readonly OncePerInterval _deferralReports;
    readonly OncePerInterval _deleteFailureReports;
    long _unremoved;
    int _deadLettersFullReported;

    // wake: tells the pump that a record was put back.
    public BufferSettlement(EventStore store, DeadLetterFolder deadLetters, LossReporter reporter, LogTraceSinkCounters counters,
        InFlightRecords inFlight, TimeProvider time, Action wake)
    {
        _store = store;
        _deadLetters = deadLetters;
        _reporter = reporter;
        _counters = counters;
        _inFlight = inFlight;
        _wake = wake;
        _deferralReports = new OncePerInterval(time);
        _deleteFailureReports = new OncePerInterval(time);
    }

    // Who a sender tells how the record's delivery ended.
    public DeliveryTicket TicketFor(BufferRecord record) => new StoredTicket(this, record);

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
                _inFlight.PutBack(record.Id, BufferPump.RetryLater);
                // The pump may be waiting with no pass planned: it plans this one.
                _wake();
                return;
            case LossReason.Unauthorized:
                // Its route's gate is closed (reported once per closing by EventDelivery): the record gives its sender back
                // and is read again after the recheck, so a refused route never holds the senders of the others.
                _inFlight.PutBack(record.Id, ConfigurationGate.RecheckInterval);
                _wake();
                return;
            default:
                // The shutdown deadline: the record stays on disk, for the next start.
                Done(record);
                return;
        }
    }

    public void MoveAside(BufferRecord record, LossReason reason, string detail, Exception? exception)
    {
        var file = _deadLetters.TryWrite(record.Id, LossReasons.TagValue(reason), record.Body);
        if (file == null && Interlocked.Exchange(ref _deadLettersFullReported, 1) == 0)
        {
            QuietSelfLog.WriteLine("{0}", string.Format(CultureInfo.InvariantCulture,
                "LogTrace: the dead-letter folder {0} holds its limit of {1} bytes (a tenth of bufferSizeLimitBytes), or cannot be written; " +
                "records that would be moved there are discarded, each counted and reported. Inspect and remove the files there.",
                _deadLetters.Path, _deadLetters.LimitBytes));
        }
        if (Delete(record))
            Done(record);
        // A damaged record's kind cannot be trusted: it is named and counted as a record of unknown kind.
        _reporter.Lost(reason, record.Corrupt ? null : record.Kind,
            record.Corrupt ? "record \"" + record.Name + "\"" : RecordKinds.Describe(record.Kind, record.Name), null, detail + (file != null
            ? "; it was moved to " + file
            : string.Format(CultureInfo.InvariantCulture, "; the dead-letter folder {0} holds its limit of {1} bytes (or cannot be written), so it was discarded",
                _deadLetters.Path, _deadLetters.LimitBytes)), exception);
    }

    bool FromMovedAsideStore(BufferRecord record) => _inFlight.FromMovedAsideStore(record.Id);

    // Records settled (delivered, or moved aside) that could not be removed from the store: the store still counts
    // them, but they are not waiting to be sent.
    public long Unremoved => Interlocked.Read(ref _unremoved);

    // The store's file was moved aside: its unremoved records went with it.
    public void ForgetUnremoved() => Interlocked.Exchange(ref _unremoved, 0);

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
                QuietSelfLog.WriteLine("{0}", string.Format(CultureInfo.InvariantCulture,
                    "LogTrace: could not remove a delivered record from the durable buffer at {0} ({1}: {2}); such records are not sent again " +
                    "by this process, but the next start sends them again (with the same _event_id)",
                    _store.Folder, ex.GetType().Name, ex.Message));
            }
            return false;
        }
    }

    void Done(BufferRecord record) => _inFlight.Release(record.Id);

    // Not a loss: the record stays buffered. Written at most once per LossReporter interval.
    void ReportDeferral(BufferRecord record, string detail)
    {
        if (_deferralReports.Allow())
            QuietSelfLog.WriteLine("LogTrace {0} {1}; it stays in the durable buffer and is tried again", RecordKinds.Describe(record.Kind, record.Name), detail);
    }

    sealed class StoredTicket : DeliveryTicket
    {
        readonly BufferSettlement _settlement;
        readonly BufferRecord _record;

        public StoredTicket(BufferSettlement pump, BufferRecord record)
        {
            _settlement = pump;
            _record = record;
        }

        public override DateTimeOffset LoggedAt => _record.LoggedAt;

        public override RecordKind Kind => _record.Kind;

        protected override void OnDelivered(TimeSpan latency) => _settlement.Delivered(_record, latency);

        protected override void OnLost(LossReason reason, string detail, Exception? exception) => _settlement.NotDelivered(_record, reason, detail, exception);
    }
}
