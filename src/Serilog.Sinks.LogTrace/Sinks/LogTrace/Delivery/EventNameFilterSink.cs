using System;
using System.Threading.Tasks;
using Serilog.Core;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Formatting;

namespace Serilog.Sinks.LogTrace.Delivery;

// Sits in front of Serilog's batching queue. Ordinary log lines (no EventName) cost one dictionary lookup: they take
// no queue space and allocate nothing. Events pass the sink's admission check, which enforces the queue bound and
// counts what it turns away.
sealed class EventNameFilterSink : ILogEventSink, IDisposable, ISetLoggingFailureListener
#if NET8_0_OR_GREATER
    , IAsyncDisposable
#endif
{
    readonly ILogEventSink _batchingSink;
    readonly LogTraceSink _target;

    public EventNameFilterSink(ILogEventSink batchingSink, LogTraceSink target)
    {
        _batchingSink = batchingSink;
        _target = target;
    }

    public void Emit(LogEvent logEvent)
    {
        if (LogTraceEventFormatter.HasEventName(logEvent) && _target.TryAdmit(logEvent))
            _batchingSink.Emit(logEvent);
    }

    public void SetFailureListener(ILoggingFailureListener failureListener)
    {
        (_batchingSink as ISetLoggingFailureListener)?.SetFailureListener(failureListener);
        _target.SetFailureListener(failureListener);
    }

    // The shutdown deadline starts before the batching sink flushes its queue into the LogTrace sink; the batching
    // sink then disposes the LogTrace sink, which waits for its senders (at most until the deadline).
    public void Dispose()
    {
        _target.BeginShutdown();
        (_batchingSink as IDisposable)?.Dispose();
    }

#if NET8_0_OR_GREATER
    public async ValueTask DisposeAsync()
    {
        _target.BeginShutdown();
        if (_batchingSink is IAsyncDisposable asyncDisposable)
            await asyncDisposable.DisposeAsync().ConfigureAwait(false);
        else
            (_batchingSink as IDisposable)?.Dispose();
    }
#endif
}
