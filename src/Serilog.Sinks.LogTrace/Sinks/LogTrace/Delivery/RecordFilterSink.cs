using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Serilog.Core;
using Serilog.Debugging;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Formatting;

namespace Serilog.Sinks.LogTrace.Delivery;

// Sits in front of Serilog's batching queue. Ordinary log lines (no EventName, AuditLogName or SessionStatus) cost a
// few nanoseconds (RecordKinds.IsMarked): they take no queue space and allocate nothing. Records (events, audit logs, sessions)
// pass the sink's admission check, which enforces the queue bound and counts what it turns away.
//
// An event logged inside an HTTP request (a LogTraceRequestContext is current) is copied, and the request's values
// are added to the copy: the event other sinks receive is left exactly as the application logged it.
sealed class RecordFilterSink : ILogEventSink, IDisposable, ISetLoggingFailureListener
#if NET8_0_OR_GREATER
    , IAsyncDisposable
#endif
{
    const string HostingRequestActivity = "Microsoft.AspNetCore.Hosting.HttpRequestIn";

    readonly ILogEventSink _batchingSink;
    readonly ILogTraceTarget _target;
    int _warnedNoRequestContext;

    public RecordFilterSink(ILogEventSink batchingSink, ILogTraceTarget target)
    {
        _batchingSink = batchingSink;
        _target = target;
    }

    public void Emit(LogEvent logEvent)
    {
        if (!RecordKinds.IsMarked(logEvent))
            return;

        var forLogTrace = WithRequestContext(logEvent);
        if (_target.TryAdmit(forLogTrace))
            _batchingSink.Emit(forLogTrace);
    }

    LogEvent WithRequestContext(LogEvent logEvent)
    {
        var context = LogTraceRequestContext.Current;
        if (context == null)
        {
            WarnIfInsideAnUnknownRequest();
            return logEvent;
        }

        var properties = new List<LogEventProperty>(logEvent.Properties.Count + 12);
        foreach (var property in logEvent.Properties)
            properties.Add(new LogEventProperty(property.Key, property.Value));
        var copy = logEvent.TraceId is { } traceId
            ? new LogEvent(logEvent.Timestamp, logEvent.Level, logEvent.Exception, logEvent.MessageTemplate, properties, traceId, logEvent.SpanId ?? default)
            : new LogEvent(logEvent.Timestamp, logEvent.Level, logEvent.Exception, logEvent.MessageTemplate, properties);
        var belongs = false;
        try
        {
            belongs = context.AddProperties(copy);
        }
        catch (Exception ex)
        {
            // An event is never lost to its request context: it goes with what could be added.
            SelfLog.WriteLine("LogTrace: the request context {0} failed to add its values to an event: {1}", context.GetType().Name, ex);
        }
        copy.AddOrUpdateProperty(new LogEventProperty(LogTraceProperties.RequestContext,
            new ScalarValue(new RequestBinding(belongs ? context : null, logEvent))));
        return copy;
    }

    // ASP.NET Core's hosting layer marks each request with an Activity: an event logged there without a request context
    // means Serilog.Sinks.LogTrace.AspNetCore's middleware is missing, and the event goes without request details.
    void WarnIfInsideAnUnknownRequest()
    {
        if (Activity.Current?.OperationName == HostingRequestActivity && Interlocked.Exchange(ref _warnedNoRequestContext, 1) == 0)
        {
            SelfLog.WriteLine("LogTrace: an event was logged during an HTTP request, but the request has no LogTrace context, so it is sent " +
                "without request details. Add builder.Services.AddLogTraceHttpContext() and app.UseLogTraceHttpContext() (first in the pipeline), " +
                "from the Serilog.Sinks.LogTrace.AspNetCore package.");
        }
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
