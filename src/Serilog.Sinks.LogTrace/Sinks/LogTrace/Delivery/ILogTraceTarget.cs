using Serilog.Core;
using Serilog.Events;

namespace Serilog.Sinks.LogTrace.Delivery;

// What the filter in front of the queue needs of the sink behind it: in memory (LogTraceSink) or durable
// (Buffering.BufferedLogTraceSink).
interface ILogTraceTarget : ISetLoggingFailureListener
{
    LogTraceSinkCounters Counters { get; }

    // Called on the application's thread for each event, before it enters BatchingSink's queue.
    bool TryAdmit(LogEvent logEvent);

    // The shutdown deadline starts here, before BatchingSink flushes its queue into the sink.
    void BeginShutdown();
}
