using System;
using System.Globalization;
using Serilog.Debugging;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Formatting;

namespace Serilog.Sinks.LogTrace.Delivery;

// Every event the sink accepts is counted from admission until it is finished: sent, or lost for one reason. The
// queue's bounds (events and estimated bytes) are enforced on the way in, on the application's thread, because
// Serilog's BatchingSink drops an event silently when its own bound is reached.
sealed class QueueAdmission
{
    readonly LogTraceSinkCounters _counters;
    readonly LossReporter _reporter;
    readonly int _limit;
    readonly long _limitBytes;

    public QueueAdmission(LogTraceSinkCounters counters, LossReporter reporter, int limit, long limitBytes)
    {
        _counters = counters;
        _reporter = reporter;
        _limit = limit;
        _limitBytes = limitBytes;
    }

    public bool TryAdmit(LogEvent logEvent, bool shuttingDown)
    {
        if (shuttingDown)
        {
            _reporter.Lost(LossReason.Shutdown, logEvent, "was logged after the sink began shutting down, and was dropped", null);
            return false;
        }

        var size = EventSize.Estimate(logEvent);
        var admission = _counters.TryAdmit(_limit, size, _limitBytes);
        if (admission == Admission.Admitted)
            return true;

        _reporter.Lost(LossReason.QueueFull, logEvent, admission == Admission.OverEvents
            ? string.Format(CultureInfo.InvariantCulture,
                "was dropped because the queue already holds {0} events (queueLimit); the service is slower than the application logs, or unreachable",
                _limit)
            : string.Format(CultureInfo.InvariantCulture,
                "was dropped because the events already queued hold about {0} bytes, and this one about {1} more (queueLimitBytes: {2}); " +
                "the service is slower than the application logs, or unreachable, or the events are very large",
                _counters.QueuedBytes, size, _limitBytes), null);
        return false;
    }

    public void Delivered(LogEvent logEvent, RecordKind kind, TimeSpan latency)
    {
        _counters.AddSent(latency, kind);
        Release(logEvent);
    }

    public void Lost(LogEvent logEvent, LossReason reason, string detail, Exception? exception)
    {
        _reporter.Lost(reason, logEvent, detail, exception);
        Release(logEvent);
    }

    // The last line of defence of a sender or a writer, which must outlive any event: an unexpected error in the sink
    // (`failed`: "could not be sent", ...) loses this one event, counted and reported; the report itself never throws.
    public void LostToAnError(LogEvent logEvent, string failed, Exception ex)
    {
        try
        {
            Lost(logEvent, LossReason.Invalid, failed + " because of an unexpected error in the sink (" + ex.GetType().Name + ")", ex);
        }
        catch (Exception reportFailure)
        {
            SelfLog.WriteLine("LogTrace: an event {0} or reported because of an unexpected error in the sink: {1}; {2}", failed, ex, reportFailure);
        }
    }

    // Finished without a request or a loss: the log event turned out not to be a LogTrace event, or it was written to
    // the durable buffer, which accounts for it from then on.
    public void Skipped(LogEvent logEvent) => Release(logEvent);

    // The size is estimated again: the same function of the same properties gives back what admission added.
    void Release(LogEvent logEvent) => _counters.Release(EventSize.Estimate(logEvent));
}
