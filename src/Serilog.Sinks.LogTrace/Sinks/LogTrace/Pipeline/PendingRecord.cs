using Serilog.Events;
using Serilog.Sinks.LogTrace.Accounting;

namespace Serilog.Sinks.LogTrace.Pipeline;

// One record on its way from Emit to its outcome: the only thing the sink's queue holds. A struct, so that queueing
// it allocates nothing beyond the log event Serilog already made.
//
// - Event: what is formatted. Inside a request it is the sink's own copy with the request's values added; otherwise
//   the event as logged.
// - Original: the event as the application logged it, which is what a failure listener (a fallback sink) receives
//   when the record is lost. Other sinks never see the copy.
// - Request: the request the record waits for (its final status code and duration), or null when it was logged
//   outside a request or no longer belongs to it. It travels here, never as a property of the event.
// - Size: the estimated memory the record keeps alive (EventSize), counted against queueLimitBytes from admission
//   until its outcome, and given back exactly then.
// - Epoch: the flush epoch it was admitted in (FlushEpochs), settled with its outcome; null until it is admitted.
readonly struct PendingRecord
{
    public PendingRecord(LogEvent logEvent, LogEvent original, LogTraceRequestContext? request, long size, bool waited = false,
        FlushEpoch? epoch = null)
    {
        Event = logEvent;
        Original = original;
        Request = request;
        Size = size;
        Waited = waited;
        Epoch = epoch;
    }

    public LogEvent Event { get; }

    public LogEvent Original { get; }

    public LogTraceRequestContext? Request { get; }

    public long Size { get; }

    // True once the record has waited for its request (or was released from that wait): it is never held again.
    public bool Waited { get; }

    public FlushEpoch? Epoch { get; }

    public PendingRecord AfterWaiting() => new(Event, Original, Request, Size, waited: true, Epoch);

    // The record as admitted, counted in its flush epoch.
    public PendingRecord In(FlushEpoch epoch) => new(Event, Original, Request, Size, Waited, epoch);

    // A record logged outside any request, for the sink's own tests and tools.
    public static PendingRecord Of(LogEvent logEvent) => new(logEvent, logEvent, null, Accounting.EventSize.Estimate(logEvent));
}
