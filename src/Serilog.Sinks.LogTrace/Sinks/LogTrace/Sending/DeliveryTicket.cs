using System;
using Serilog.Sinks.LogTrace.Records;
using Serilog.Sinks.LogTrace.Pipeline;
using Serilog.Sinks.LogTrace.Accounting;

namespace Serilog.Sinks.LogTrace.Sending;

// Who is told how one record's delivery ended. EventDelivery tells every ticket once; a sender's last line of
// defence may tell it again after an unexpected error, and only the first outcome counts.
abstract class DeliveryTicket
{
    int _told;

    // When the event was logged: delivery latency is measured from it.
    public abstract DateTimeOffset LoggedAt { get; }

    // Which route the body goes to.
    public abstract RecordKind Kind { get; }

    public void Delivered(TimeSpan latency)
    {
        if (System.Threading.Interlocked.Exchange(ref _told, 1) == 0)
            OnDelivered(latency);
    }

    public void Lost(LossReason reason, string detail, Exception? exception)
    {
        if (System.Threading.Interlocked.Exchange(ref _told, 1) == 0)
            OnLost(reason, detail, exception);
    }

    protected abstract void OnDelivered(TimeSpan latency);

    protected abstract void OnLost(LossReason reason, string detail, Exception? exception);
}

// A record that lives in memory only: its outcome is counted in the queue's admission.
sealed class MemoryTicket : DeliveryTicket
{
    readonly PendingRecord _record;
    readonly RecordLedger _admission;
    readonly Action<RecordKind>? _lostAtShutdown;

    // lostAtShutdown: told when the shutdown deadline ends the record, for a summary of its own.
    public MemoryTicket(in PendingRecord record, RecordKind kind, RecordLedger admission, Action<RecordKind>? lostAtShutdown = null)
    {
        _record = record;
        Kind = kind;
        _admission = admission;
        _lostAtShutdown = lostAtShutdown;
    }

    public override DateTimeOffset LoggedAt => _record.Event.Timestamp;

    public override RecordKind Kind { get; }

    protected override void OnDelivered(TimeSpan latency) => _admission.Delivered(_record, Kind, latency);

    protected override void OnLost(LossReason reason, string detail, Exception? exception)
    {
        if (reason == LossReason.Shutdown)
            _lostAtShutdown?.Invoke(Kind);
        _admission.Lost(_record, reason, detail, exception);
    }
}
