using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Serilog.Core;
using Serilog.Debugging;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Formatting;
using Serilog.Sinks.LogTrace.Http;

namespace Serilog.Sinks.LogTrace.Delivery;

// Receives batches from Serilog's BatchingSink and sends each event as its own request, a bounded number at a time.
// An event's failure is reported and counted and never fails the batch: failing the batch would make BatchingSink
// send the whole batch again, duplicating the events that did arrive.
sealed class LogTraceSink : IBatchedLogEventSink, IDisposable, ISetLoggingFailureListener
{
    readonly LogTraceApi _api;
    readonly LogTraceEventFormatter _formatter;
    readonly int _maxConcurrentRequests;
    ILoggingFailureListener _failureListener = SelfLog.FailureListener;

    public LogTraceSink(LogTraceApi api, LogTraceEventFormatter formatter, int maxConcurrentRequests)
    {
        _api = api;
        _formatter = formatter;
        _maxConcurrentRequests = maxConcurrentRequests;
    }

    public LogTraceSinkCounters Counters { get; } = new();

    public void SetFailureListener(ILoggingFailureListener failureListener) =>
        _failureListener = failureListener ?? throw new ArgumentNullException(nameof(failureListener));

    public async Task EmitBatchAsync(IReadOnlyCollection<LogEvent> batch)
    {
        // BatchingSink reuses its collection once this returns; the senders index into a copy.
        var events = new LogEvent[batch.Count];
        var n = 0;
        foreach (var logEvent in batch)
            events[n++] = logEvent;

        var cursor = new BatchCursor(events);
        var senders = Math.Min(_maxConcurrentRequests, events.Length);
        if (senders <= 1)
        {
            await SendAllAsync(cursor).ConfigureAwait(false);
            return;
        }

        var tasks = new Task[senders];
        for (var i = 0; i < senders; i++)
            tasks[i] = SendAllAsync(cursor);
        await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    public Task OnEmptyBatchAsync() => Task.CompletedTask;

    async Task SendAllAsync(BatchCursor cursor)
    {
        using var buffers = new FormatBuffers();
        while (cursor.TryTake(out var logEvent))
            await SendAsync(logEvent, buffers).ConfigureAwait(false);
    }

    async Task SendAsync(LogEvent logEvent, FormatBuffers buffers)
    {
        FormatOutcome outcome;
        try
        {
            outcome = _formatter.Format(logEvent, buffers);
        }
        catch (Exception ex)
        {
            Counters.AddFailed();
            ReportLoss(logEvent, "could not be formatted, and was dropped", ex);
            return;
        }

        switch (outcome)
        {
            case FormatOutcome.NotAnEvent:
                return;
            case FormatOutcome.NoUser:
                Counters.AddDroppedWithoutUser();
                ReportLoss(logEvent, "has neither UserId nor UserName, and no fallback user name is configured; the service would reject it, so it was dropped", null);
                return;
            case FormatOutcome.InvalidEventName:
                Counters.AddDroppedInvalid();
                ReportLoss(logEvent, "has an EventName that is not a scalar value (a string is expected), and was dropped", null);
                return;
        }

        LogTraceResponse response;
        try
        {
            response = await _api.PostEventAsync(buffers.Body, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Counters.AddFailed();
            ReportLoss(logEvent, "could not be delivered (" + Describe(ex) + ")", ex);
            return;
        }

        if (response.IsSuccess)
        {
            Counters.AddSent();
            return;
        }

        Counters.AddRejected();
        ReportLoss(logEvent, string.Format(CultureInfo.InvariantCulture,
            "was rejected by the LogTrace service with status {0}: {1}",
            response.StatusCode, string.IsNullOrEmpty(response.Message) ? "(no message)" : response.Message), null);
    }

    static string Describe(Exception ex) => ex switch
    {
        TaskCanceledException or OperationCanceledException => "the request timed out",
        _ => ex.GetType().Name + ": " + ex.Message,
    };

    void ReportLoss(LogEvent logEvent, string reason, Exception? exception)
    {
        var name = logEvent.Properties.TryGetValue(LogTraceProperties.EventName, out var value) ? value.ToString() : "(no name)";
        var message = string.Format(CultureInfo.InvariantCulture,
            "LogTrace event {0} {1}; {2} LogTrace events lost so far", name, reason, Counters.Lost);
        // Serilog's default listener passes the message through string.Format: braces from names or service
        // messages must not reach it. Nothing reported may carry the API key.
        message = _formatter.Text.RedactSecret(message).Replace('{', '(').Replace('}', ')');
        try
        {
            _failureListener.OnLoggingFailed(this, LoggingFailureKind.Permanent, message, new[] { logEvent }, exception);
        }
        catch (Exception ex)
        {
            SelfLog.WriteLine("The LogTrace sink's failure listener threw: {0}", ex);
        }
    }

    public void Dispose() => _api.Dispose();

    sealed class BatchCursor
    {
        readonly LogEvent[] _events;
        int _next = -1;

        public BatchCursor(LogEvent[] events) => _events = events;

        public bool TryTake(out LogEvent logEvent)
        {
            var index = Interlocked.Increment(ref _next);
            if (index < _events.Length)
            {
                logEvent = _events[index];
                return true;
            }
            logEvent = null!;
            return false;
        }
    }
}
