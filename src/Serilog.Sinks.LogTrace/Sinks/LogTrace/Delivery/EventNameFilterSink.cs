using System;
using System.Threading.Tasks;
using Serilog.Core;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Formatting;

namespace Serilog.Sinks.LogTrace.Delivery;

// Sits in front of Serilog's batching queue so that ordinary log lines (no EventName) cost one dictionary lookup:
// they take no queue space and allocate nothing.
sealed class EventNameFilterSink : ILogEventSink, IDisposable, ISetLoggingFailureListener
#if NET8_0_OR_GREATER
    , IAsyncDisposable
#endif
{
    readonly ILogEventSink _batchingSink;
    readonly ISetLoggingFailureListener _target;

    public EventNameFilterSink(ILogEventSink batchingSink, ISetLoggingFailureListener target)
    {
        _batchingSink = batchingSink;
        _target = target;
    }

    public void Emit(LogEvent logEvent)
    {
        if (LogTraceEventFormatter.HasEventName(logEvent))
            _batchingSink.Emit(logEvent);
    }

    public void SetFailureListener(ILoggingFailureListener failureListener)
    {
        (_batchingSink as ISetLoggingFailureListener)?.SetFailureListener(failureListener);
        _target.SetFailureListener(failureListener);
    }

    // The batching sink flushes its queue, then disposes the LogTrace sink.
    public void Dispose() => (_batchingSink as IDisposable)?.Dispose();

#if NET8_0_OR_GREATER
    public ValueTask DisposeAsync() =>
        _batchingSink is IAsyncDisposable asyncDisposable ? asyncDisposable.DisposeAsync() : new ValueTask(Task.Run(Dispose));
#endif
}
