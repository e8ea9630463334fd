using System;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Records;
using Serilog.Sinks.LogTrace.Sending;

namespace Serilog.Sinks.LogTrace.Pipeline;

// A record the memory outbox formatted (FormattedRecord): its outcome, told once, to the ledger; a loss at shutdown is
// also told to the outbox, whose summary counts its own.
sealed class FormattedRecordTicket : DeliveryTicket
{
    readonly FormattedRecord _record;
    readonly RecordLedger _ledger;
    readonly Action<RecordKind> _lostAtShutdown;

    public FormattedRecordTicket(in FormattedRecord record, RecordLedger ledger, Action<RecordKind> lostAtShutdown)
    {
        _record = record;
        _ledger = ledger;
        _lostAtShutdown = lostAtShutdown;
    }

    public override DateTimeOffset LoggedAt => _record.LoggedAt;

    public override RecordKind Kind => _record.Kind;

    protected override void OnDelivered(TimeSpan latency) => _ledger.Delivered(_record, latency);

    protected override void OnLost(LossReason reason, string detail, Exception? exception)
    {
        if (reason == LossReason.Shutdown)
            _lostAtShutdown(_record.Kind);
        _ledger.Lost(_record, reason, detail, exception);
    }

    public void LostToAnError(Exception ex)
    {
        try
        {
            Lost(LossReason.Invalid, "could not be sent because of an unexpected error in the sink (" + ex.GetType().Name + ")", ex);
        }
        catch (Exception reportFailure)
        {
            QuietSelfLog.WriteLine("LogTrace: an event could not be sent or reported because of an unexpected error in the sink: {0}; {1}", ex, reportFailure);
        }
    }
}
