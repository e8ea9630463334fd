using System;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Formatting;

namespace Serilog.Sinks.LogTrace.Delivery;

// Who is told how one record's delivery ended. EventDelivery tells every ticket exactly once.
abstract class DeliveryTicket
{
    // When the event was logged: delivery latency is measured from it.
    public abstract DateTimeOffset LoggedAt { get; }

    // Which route the body goes to.
    public abstract RecordKind Kind { get; }

    public abstract void Delivered(TimeSpan latency);

    public abstract void Lost(LossReason reason, string detail, Exception? exception);
}

// An event that lives in memory only: its outcome is counted in the queue's admission.
sealed class MemoryTicket : DeliveryTicket
{
    readonly LogEvent _logEvent;
    readonly QueueAdmission _admission;
    readonly Action? _lostAtShutdown;

    // lostAtShutdown: told when the shutdown deadline ends the event, for a summary of its own.
    public MemoryTicket(LogEvent logEvent, RecordKind kind, QueueAdmission admission, Action? lostAtShutdown = null)
    {
        _logEvent = logEvent;
        Kind = kind;
        _admission = admission;
        _lostAtShutdown = lostAtShutdown;
    }

    public override DateTimeOffset LoggedAt => _logEvent.Timestamp;

    public override RecordKind Kind { get; }

    public override void Delivered(TimeSpan latency) => _admission.Delivered(_logEvent, Kind, latency);

    public override void Lost(LossReason reason, string detail, Exception? exception)
    {
        if (reason == LossReason.Shutdown)
            _lostAtShutdown?.Invoke();
        _admission.Lost(_logEvent, reason, detail, exception);
    }
}
