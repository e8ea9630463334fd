using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Serilog.Core;
using Serilog.Debugging;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Formatting;
using Serilog.Sinks.LogTrace.Http;

namespace Serilog.Sinks.LogTrace.Delivery;

// Receives batches from Serilog's BatchingSink and hands their events to a fixed set of senders (one request each:
// the service has no batch endpoint). A sender owns its event until it is delivered or lost: it retries transient
// failures with backoff, waits out the rate limit, and gives up at the retry time limit or the shutdown deadline.
//
// EmitBatchAsync never throws: an event's failure is counted and reported on its own, and never makes BatchingSink
// send a batch again (that would duplicate the events that did arrive). It returns once every event of the batch
// is with a sender, so a single event that is being retried holds one sender, not the whole pipeline.
sealed class LogTraceSink : IBatchedLogEventSink, IDisposable, ISetLoggingFailureListener
#if NET8_0_OR_GREATER
    , IAsyncDisposable
#endif
{
    // After a 401-class answer, events fail at once for this long instead of each asking the service again.
    internal static readonly TimeSpan ConfigurationRecheckInterval = TimeSpan.FromMinutes(1);

    readonly LogTraceApi _api;
    readonly LogTraceEventFormatter _formatter;
    readonly TimeProvider _time;
    readonly TimeSpan _retryTimeLimit;
    readonly TimeSpan _shutdownTimeout;
    readonly int _queueLimit;
    readonly RateLimitPacer _pacer;
    readonly LossReporter _reporter;
    readonly Random _random = new();
    readonly Channel<LogEvent> _work;
    readonly Task[] _senders;
    readonly CancellationTokenSource _deadline = new();
    readonly object _stateLock = new();
    ITimer? _deadlineTimer;
    bool _shuttingDown;
    bool _disposed;
    DateTimeOffset _unauthorizedUntil;
    string? _unauthorizedMessage;
    string? _lastFailure;

    public LogTraceSink(LogTraceApi api, LogTraceEventFormatter formatter, DeliverySettings settings)
    {
        _api = api;
        _formatter = formatter;
        _time = settings.TimeProvider;
        _retryTimeLimit = settings.RetryTimeLimit;
        _shutdownTimeout = settings.ShutdownTimeout;
        _queueLimit = settings.QueueLimit;
        _pacer = new RateLimitPacer(_time);
        _reporter = new LossReporter(this, Counters, _time, formatter.Text.RedactSecret);

        // Small on purpose: the queue is BatchingSink's; this only hands events over to idle senders.
        _work = Channel.CreateBounded<LogEvent>(new BoundedChannelOptions(settings.MaxConcurrentRequests) { SingleWriter = true });
        _senders = new Task[settings.MaxConcurrentRequests];
        // The senders belong to the sink, not to whichever caller created it.
        using (ExecutionContext.IsFlowSuppressed() ? null : (IDisposable)ExecutionContext.SuppressFlow())
        {
            for (var i = 0; i < _senders.Length; i++)
                _senders[i] = Task.Run(SendLoopAsync);
        }
    }

    public LogTraceSinkCounters Counters { get; } = new();

    public void SetFailureListener(ILoggingFailureListener failureListener) =>
        _reporter.SetFailureListener(failureListener ?? throw new ArgumentNullException(nameof(failureListener)));

    // Called on the application's thread for each event, before it enters BatchingSink's queue: the queue bound is
    // enforced here, because BatchingSink drops an event silently when its own bound is reached.
    public bool TryAdmit(LogEvent logEvent)
    {
        if (Volatile.Read(ref _shuttingDown))
        {
            _reporter.Lost(LossReason.Shutdown, logEvent, "was logged after the sink began shutting down, and was dropped", null);
            return false;
        }

        if (Counters.TryAdmit(_queueLimit))
            return true;

        _reporter.Lost(LossReason.QueueFull, logEvent, string.Format(CultureInfo.InvariantCulture,
            "was dropped because the queue already holds {0} events (queueLimit); the service is slower than the application logs, or unreachable",
            _queueLimit), null);
        return false;
    }

    public async Task EmitBatchAsync(IReadOnlyCollection<LogEvent> batch)
    {
        foreach (var logEvent in batch)
        {
            try
            {
                if (!_work.Writer.TryWrite(logEvent))
                    await _work.Writer.WriteAsync(logEvent, _deadline.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
            {
                Finish(logEvent, LossReason.Shutdown, "could not be sent before the shutdown timeout", null);
            }
        }
    }

    public Task OnEmptyBatchAsync() => Task.CompletedTask;

    async Task SendLoopAsync()
    {
        using var buffers = new FormatBuffers();
        var reader = _work.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var logEvent))
            {
                try
                {
                    await DeliverAsync(logEvent, buffers).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    // DeliverAsync accounts for every event itself; this is the last line of defence for the sender.
                    Finish(logEvent, LossReason.Invalid, "could not be sent because of an unexpected error in the sink (" + ex.GetType().Name + ")", ex);
                }
            }
        }
    }

    async Task DeliverAsync(LogEvent logEvent, FormatBuffers buffers)
    {
        var deadline = _deadline.Token;
        if (deadline.IsCancellationRequested)
        {
            Finish(logEvent, LossReason.Shutdown, "could not be sent before the shutdown timeout", null);
            return;
        }

        await WaitForRequestToEndAsync(logEvent, deadline).ConfigureAwait(false);

        FormatOutcome formatted;
        try
        {
            formatted = _formatter.Format(logEvent, buffers);
        }
        catch (Exception ex)
        {
            Finish(logEvent, LossReason.Invalid, "could not be formatted, and was dropped", ex);
            return;
        }

        switch (formatted)
        {
            case FormatOutcome.NotAnEvent:
                Counters.Release();
                return;
            case FormatOutcome.NoUser:
                Finish(logEvent, LossReason.Invalid, "has neither UserId nor UserName, and no fallback user name is configured; the service would reject it, so it was dropped", null);
                return;
            case FormatOutcome.InvalidEventName:
                Finish(logEvent, LossReason.Invalid, "has an EventName that is not a scalar value (a string is expected), and was dropped", null);
                return;
        }

        // The body is formatted once: every retry sends the same bytes, with the same _event_id.
        var firstAttempt = _time.GetUtcNow();
        for (var attempt = 0; ; attempt++)
        {
            if (TryFailFastUnauthorized(logEvent))
                return;

            RateLimitPacer.Turn turn;
            try
            {
                turn = await _pacer.WaitForTurnAsync(deadline).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Finish(logEvent, LossReason.Shutdown, "was waiting for the rate limit when the shutdown timeout passed", null);
                return;
            }

            LogTraceResponse response;
            try
            {
                response = await _api.PostEventAsync(buffers.Body, deadline).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                _pacer.Complete(turn, null);
                if (deadline.IsCancellationRequested)
                {
                    Finish(logEvent, LossReason.Shutdown, "was in flight when the shutdown timeout passed", null);
                    return;
                }

                var failure = Describe(ex);
                Volatile.Write(ref _lastFailure, failure);
                if (!await WaitToRetryAsync(logEvent, attempt, firstAttempt, DeliveryPolicy.Backoff(attempt, _random), failure, ex).ConfigureAwait(false))
                    return;
                continue;
            }

            _pacer.Complete(turn, response);
            var status = response.StatusCode;
            switch (DeliveryPolicy.Classify(status))
            {
                case Outcome.Delivered:
                    Counters.AddSent(_time.GetUtcNow() - logEvent.Timestamp);
                    Counters.Release();
                    return;

                case Outcome.Rejected:
                    Finish(logEvent, LossReason.Rejected, "was rejected by the LogTrace service with " + Answer(response) +
                        "; the same event can never succeed, so it was not retried", null);
                    return;

                case Outcome.Unauthorized:
                {
                    var answer = Answer(response);
                    lock (_stateLock)
                    {
                        _unauthorizedUntil = _time.GetUtcNow() + ConfigurationRecheckInterval;
                        _unauthorizedMessage = "was not sent: the LogTrace service refused the previous request with " + answer +
                            "; check the API key, the endpoint and the account";
                    }
                    Finish(logEvent, LossReason.Unauthorized, "was refused by the LogTrace service with " + answer +
                        ": check the API key, the endpoint and the account; events are failed without a request for the next " +
                        ((int)ConfigurationRecheckInterval.TotalSeconds).ToString(CultureInfo.InvariantCulture) + " s", null);
                    return;
                }

                default:
                {
                    var answer = Answer(response);
                    Volatile.Write(ref _lastFailure, _formatter.Text.RedactSecret(answer));
                    if (status == 429)
                        Counters.AddRateLimited();
                    // A Retry-After pauses every sender in the pacer; without one, this event backs off on its own.
                    var wait = response.RetryAfter.IsPresent || status == 429 ? TimeSpan.Zero : DeliveryPolicy.Backoff(attempt, _random);
                    var pause = response.RetryAfter.DelayFrom(_time.GetUtcNow()) ?? TimeSpan.Zero;
                    if (!await WaitToRetryAsync(logEvent, attempt, firstAttempt, wait, answer, null, pause).ConfigureAwait(false))
                        return;
                    continue;
                }
            }
        }
    }

    // An event logged during an HTTP request is held (on this sender, never on the application's thread) until the
    // request ends, so it carries the final status code and duration; at most MaxWait after the event's timestamp.
    async Task WaitForRequestToEndAsync(LogEvent logEvent, CancellationToken deadline)
    {
        if (!logEvent.Properties.TryGetValue(LogTraceProperties.RequestCompletion, out var value) ||
            value is not ScalarValue { Value: LogTraceRequestCompletion completion } ||
            completion.Completed.IsCompleted)
        {
            return;
        }

        var remaining = logEvent.Timestamp + completion.MaxWait - _time.GetUtcNow();
        if (remaining <= TimeSpan.Zero)
            return;

        await Clock.WhenAnyOrDelayAsync(_time, completion.Completed, remaining, deadline).ConfigureAwait(false);
    }

    // Waits before the next attempt; false when the event was given up (retry time limit or shutdown).
    async Task<bool> WaitToRetryAsync(LogEvent logEvent, int attempt, DateTimeOffset firstAttempt, TimeSpan wait, string failure, Exception? exception,
        TimeSpan pause = default)
    {
        var now = _time.GetUtcNow();
        var longest = wait > pause ? wait : pause;
        if (now + longest - firstAttempt > _retryTimeLimit)
        {
            Finish(logEvent, LossReason.RetryLimit, string.Format(CultureInfo.InvariantCulture,
                "could not be delivered within the retry time limit of {0} ({1} attempts; the last: {2})",
                _retryTimeLimit, attempt + 1, failure), exception);
            return false;
        }

        Counters.AddRetry();
        try
        {
            await Clock.Delay(_time, wait, _deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Finish(logEvent, LossReason.Shutdown, "was waiting to be retried (the last attempt: " + failure + ") when the shutdown timeout passed", exception);
            return false;
        }
        return true;
    }

    bool TryFailFastUnauthorized(LogEvent logEvent)
    {
        string? message;
        lock (_stateLock)
        {
            if (_time.GetUtcNow() >= _unauthorizedUntil)
                return false;
            message = _unauthorizedMessage;
        }
        Finish(logEvent, LossReason.Unauthorized, message ?? "was not sent: the LogTrace service refused the previous request", null);
        return true;
    }

    static string Answer(LogTraceResponse response) =>
        "status " + response.StatusCode.ToString(CultureInfo.InvariantCulture) + ": " +
        (string.IsNullOrEmpty(response.Message) ? "(no message)" : response.Message);

    string Describe(Exception ex) => ex switch
    {
        OperationCanceledException => "the request timed out",
        _ => _formatter.Text.RedactSecret(ex.GetType().Name + ": " + ex.Message),
    };

    void Finish(LogEvent logEvent, LossReason reason, string detail, Exception? exception)
    {
        _reporter.Lost(reason, logEvent, detail, exception);
        Counters.Release();
    }

    // The shutdown deadline starts here, before BatchingSink flushes its queue into this sink.
    public void BeginShutdown()
    {
        lock (_stateLock)
        {
            if (_shuttingDown)
                return;
            Volatile.Write(ref _shuttingDown, true);
            _deadlineTimer = _time.CreateTimer(static state => ((CancellationTokenSource)state!).Cancel(), _deadline, _shutdownTimeout, Timeout.InfiniteTimeSpan);
        }
    }

    // BatchingSink calls this after its last batch: the senders finish (by the deadline at the latest), then the
    // losses of the shutdown are written in one line.
    public void Dispose()
    {
        if (!PrepareDispose())
            return;
        try
        {
            Task.WhenAll(_senders).GetAwaiter().GetResult();
        }
        finally
        {
            CompleteDispose();
        }
    }

#if NET8_0_OR_GREATER
    public async ValueTask DisposeAsync()
    {
        if (!PrepareDispose())
            return;
        try
        {
            await Task.WhenAll(_senders).ConfigureAwait(false);
        }
        finally
        {
            CompleteDispose();
        }
    }
#endif

    bool PrepareDispose()
    {
        lock (_stateLock)
        {
            if (_disposed)
                return false;
            _disposed = true;
        }
        BeginShutdown();
        _work.Writer.TryComplete();
        return true;
    }

    void CompleteDispose()
    {
        var lostAtShutdown = Counters.LostFor(LossReason.Shutdown);
        if (lostAtShutdown > 0)
        {
            var lastFailure = Volatile.Read(ref _lastFailure);
            SelfLog.WriteLine("{0}", string.Format(CultureInfo.InvariantCulture,
                "LogTrace: {0} events could not be delivered within the shutdown timeout of {1} and were dropped; {2} were sent in all{3}",
                lostAtShutdown, _shutdownTimeout, Counters.Sent, lastFailure == null ? "" : "; the last failure: " + lastFailure));
        }
        _reporter.Flush();
        _deadlineTimer?.Dispose();
        _deadline.Dispose();
        _api.Dispose();
        Counters.Dispose();
    }
}

// The delivery settings the sink needs, apart from what the formatter and the HTTP client take.
sealed class DeliverySettings
{
    public int MaxConcurrentRequests { get; set; } = LogTraceDefaults.MaxConcurrentRequests;
    public int QueueLimit { get; set; } = LogTraceDefaults.QueueLimit;
    public TimeSpan RetryTimeLimit { get; set; } = LogTraceDefaults.RetryTimeLimit;
    public TimeSpan ShutdownTimeout { get; set; } = LogTraceDefaults.ShutdownTimeout;
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
