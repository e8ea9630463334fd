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
    readonly long _queueLimitBytes;
    readonly RateLimitPacer _pacer;
    readonly EventHold _hold;
    readonly LossReporter _reporter;
    readonly Random _random = new();
    readonly Channel<LogEvent> _work;
    readonly Task[] _senders;
    readonly CancellationTokenSource _deadline = new();
    // Cancelled when shutdown begins: held events are released then, to be sent (without a final status) while the
    // shutdown timeout lasts rather than lost at its end.
    readonly CancellationTokenSource _stopping = new();
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
        _queueLimitBytes = settings.QueueLimitBytes;
        _pacer = new RateLimitPacer(_time);
        _reporter = new LossReporter(this, Counters, _time, formatter.Text.RedactSecret);

        // Small on purpose: the queue is BatchingSink's; this only hands events over to idle senders. Its writers are
        // EmitBatchAsync and the hold, which releases events whose request has ended; it completes when both are done.
        _work = Channel.CreateBounded<LogEvent>(new BoundedChannelOptions(settings.MaxConcurrentRequests));
        _hold = new EventHold(_time, QueueAsync, () => _work.Writer.TryComplete());
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

    // Called on the application's thread for each event, before it enters BatchingSink's queue: the queue bounds
    // (events and bytes) are enforced here, because BatchingSink drops an event silently when its own bound is reached.
    public bool TryAdmit(LogEvent logEvent)
    {
        if (Volatile.Read(ref _shuttingDown))
        {
            _reporter.Lost(LossReason.Shutdown, logEvent, "was logged after the sink began shutting down, and was dropped", null);
            return false;
        }

        var size = EventSize.Estimate(logEvent);
        var admission = Counters.TryAdmit(_queueLimit, size, _queueLimitBytes);
        if (admission == Admission.Admitted)
            return true;

        _reporter.Lost(LossReason.QueueFull, logEvent, admission == Admission.OverEvents
            ? string.Format(CultureInfo.InvariantCulture,
                "was dropped because the queue already holds {0} events (queueLimit); the service is slower than the application logs, or unreachable",
                _queueLimit)
            : string.Format(CultureInfo.InvariantCulture,
                "was dropped because the events already queued hold about {0} bytes, and this one about {1} more (queueLimitBytes: {2}); " +
                "the service is slower than the application logs, or unreachable, or the events are very large",
                Counters.QueuedBytes, size, _queueLimitBytes), null);
        return false;
    }

    public async Task EmitBatchAsync(IReadOnlyCollection<LogEvent> batch)
    {
        foreach (var logEvent in batch)
        {
            if (!_hold.TryHold(logEvent, _stopping.Token))
                await QueueAsync(logEvent).ConfigureAwait(false);
        }
    }

    // Hands an event to the next idle sender; waits (off the application's thread) while all are busy.
    async Task QueueAsync(LogEvent logEvent)
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
        if (_deadline.IsCancellationRequested)
        {
            Finish(logEvent, LossReason.Shutdown, "could not be sent before the shutdown timeout", null);
            return;
        }

        if (!TryFormat(logEvent, buffers))
            return;

        // The body is formatted once: every retry sends the same bytes, with the same _event_id.
        var firstAttempt = _time.GetUtcNow();
        for (var attempt = 0; ; attempt++)
        {
            if (TryFailFastUnauthorized(logEvent))
                return;
            if (!await AttemptAsync(logEvent, buffers.Body, attempt, firstAttempt).ConfigureAwait(false))
                return;
        }
    }

    // False when the event is finished (counted as not an event, or lost); true when its body is in the buffers.
    bool TryFormat(LogEvent logEvent, FormatBuffers buffers)
    {
        FormatOutcome formatted;
        try
        {
            formatted = _formatter.Format(logEvent, buffers);
        }
        catch (Exception ex)
        {
            Finish(logEvent, LossReason.Invalid, "could not be formatted, and was dropped", ex);
            return false;
        }

        switch (formatted)
        {
            case FormatOutcome.Formatted:
                return true;
            case FormatOutcome.NoUser:
                Finish(logEvent, LossReason.Invalid, "has neither UserId nor UserName, and no fallback user name is configured; the service would reject it, so it was dropped", null);
                return false;
            case FormatOutcome.InvalidEventName:
                Finish(logEvent, LossReason.Invalid, "has an EventName that is not a scalar value (a string is expected), and was dropped", null);
                return false;
            default:
                Release(logEvent);
                return false;
        }
    }

    // One request for the event. True when it is to be tried again (the wait before that try is over); false when
    // it is finished, delivered or lost.
    async Task<bool> AttemptAsync(LogEvent logEvent, ReadOnlyMemory<byte> body, int attempt, DateTimeOffset firstAttempt)
    {
        var deadline = _deadline.Token;
        RateLimitPacer.Turn turn;
        try
        {
            turn = await _pacer.WaitForTurnAsync(deadline).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Finish(logEvent, LossReason.Shutdown, "was waiting for the rate limit when the shutdown timeout passed", null);
            return false;
        }

        LogTraceResponse response;
        try
        {
            response = await _api.PostEventAsync(body, deadline).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _pacer.Complete(turn, null);
            if (deadline.IsCancellationRequested)
            {
                Finish(logEvent, LossReason.Shutdown, "was in flight when the shutdown timeout passed", null);
                return false;
            }

            var failure = Describe(ex);
            Volatile.Write(ref _lastFailure, failure);
            return await WaitToRetryAsync(logEvent, attempt, firstAttempt, DeliveryPolicy.Backoff(attempt, _random), TimeSpan.Zero, failure, ex)
                .ConfigureAwait(false);
        }

        _pacer.Complete(turn, response);
        return await OnAnswerAsync(logEvent, response, attempt, firstAttempt).ConfigureAwait(false);
    }

    Task<bool> OnAnswerAsync(LogEvent logEvent, LogTraceResponse response, int attempt, DateTimeOffset firstAttempt)
    {
        // A redirect that a caller's handler followed anyway is not the service's answer, whatever its status.
        var outcome = response.RedirectedTo != null ? Outcome.Unauthorized : DeliveryPolicy.Classify(response.StatusCode);
        switch (outcome)
        {
            case Outcome.Delivered:
                Counters.AddSent(_time.GetUtcNow() - logEvent.Timestamp);
                Release(logEvent);
                return Finished;

            case Outcome.Rejected:
                Finish(logEvent, LossReason.Rejected, "was rejected by the LogTrace service with " + Answer(response) +
                    "; the same event can never succeed, so it was not retried", null);
                return Finished;

            case Outcome.Unauthorized:
                RefuseUntilRecheck(logEvent, response);
                return Finished;

            default:
            {
                var answer = Answer(response);
                Volatile.Write(ref _lastFailure, _formatter.Text.RedactSecret(answer));
                if (response.StatusCode == 429)
                    Counters.AddRateLimited();
                // A Retry-After pauses every sender in the pacer; without one, this event backs off on its own.
                var wait = response.RetryAfter.IsPresent || response.StatusCode == 429 ? TimeSpan.Zero : DeliveryPolicy.Backoff(attempt, _random);
                var pause = response.RetryAfter.DelayFrom(_time.GetUtcNow()) ?? TimeSpan.Zero;
                return WaitToRetryAsync(logEvent, attempt, firstAttempt, wait, pause, answer, null);
            }
        }
    }

    static readonly Task<bool> Finished = Task.FromResult(false);

    // A configuration error (401-class, or a redirect): this event fails, and so does every event for the next
    // ConfigurationRecheckInterval, without a request; then one request checks again.
    void RefuseUntilRecheck(LogEvent logEvent, LogTraceResponse response)
    {
        var answer = Answer(response);
        var fix = response.RedirectedTo != null
            ? "the sink never follows a redirect (it would carry the API key elsewhere): set the endpoint to the service's own address"
            : "check the API key, the endpoint and the account";
        lock (_stateLock)
        {
            _unauthorizedUntil = _time.GetUtcNow() + ConfigurationRecheckInterval;
            _unauthorizedMessage = "was not sent: the LogTrace service refused the previous request with " + answer + "; " + fix;
        }
        Finish(logEvent, LossReason.Unauthorized, "was refused by the LogTrace service with " + answer + ": " + fix +
            "; events are failed without a request for the next " +
            ((int)ConfigurationRecheckInterval.TotalSeconds).ToString(CultureInfo.InvariantCulture) + " s", null);
    }

    // Waits before the next attempt; false when the event was given up (retry time limit or shutdown). The limit
    // counts the longer of the event's own backoff and a Retry-After pause of every sender.
    async Task<bool> WaitToRetryAsync(LogEvent logEvent, int attempt, DateTimeOffset firstAttempt, TimeSpan wait, TimeSpan pause,
        string failure, Exception? exception)
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
        (response.RedirectedTo != null ? "a redirect to " + response.RedirectedTo
            : string.IsNullOrEmpty(response.Message) ? "(no message)" : response.Message);

    string Describe(Exception ex) => ex switch
    {
        OperationCanceledException => "the request timed out",
        _ => _formatter.Text.RedactSecret(ex.GetType().Name + ": " + ex.Message),
    };

    void Finish(LogEvent logEvent, LossReason reason, string detail, Exception? exception)
    {
        _reporter.Lost(reason, logEvent, detail, exception);
        Release(logEvent);
    }

    // The admitted event is finished; its size is estimated again (the same function of the same properties).
    void Release(LogEvent logEvent) => Counters.Release(EventSize.Estimate(logEvent));

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
        // Outside the lock: released events continue synchronously into the hand-off.
        _stopping.Cancel();
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
        // BatchingSink has handed over its last batch: the senders stop once the held events are released too.
        _hold.Close();
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
        _stopping.Dispose();
        _api.Dispose();
        Counters.Dispose();
    }
}

// The delivery settings the sink needs, apart from what the formatter and the HTTP client take.
sealed class DeliverySettings
{
    public int MaxConcurrentRequests { get; set; } = LogTraceDefaults.MaxConcurrentRequests;
    public int QueueLimit { get; set; } = LogTraceDefaults.QueueLimit;
    public long QueueLimitBytes { get; set; } = LogTraceDefaults.QueueLimitBytes;
    public TimeSpan RetryTimeLimit { get; set; } = LogTraceDefaults.RetryTimeLimit;
    public TimeSpan ShutdownTimeout { get; set; } = LogTraceDefaults.ShutdownTimeout;
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
