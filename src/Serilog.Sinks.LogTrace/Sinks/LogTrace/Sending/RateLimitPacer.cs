using System;
using System.Threading;
using System.Threading.Tasks;
using Serilog.Sinks.LogTrace.Http;
using Serilog.Sinks.LogTrace.Accounting;

namespace Serilog.Sinks.LogTrace.Sending;

// Keeps the sink under the service's rate limit using only what the answers say (X-RateLimit-Limit, -Remaining,
// -Reset, Retry-After); nothing assumes 100 per minute.
//
// - Budget: the lowest Remaining answered, less the requests still in flight that it may not have counted. While
//   the budget lasts, requests go at once; no headers at all means no limit is known, and nothing waits.
// - Exhausted: wait until Reset (unix seconds, so a second of margin), then send one probe; its answer gives the
//   new budget. With a sliding window only part of the budget may come back at Reset, which the probe finds out.
// - Pause: a 429, or an answer that is retried with Retry-After (e.g. 503), holds every request until then. A 429
//   with no rate-limit headers sets the budget to 0 until a probe's answer, which, with no headers either, makes the
//   limit unknown again.
// - Time: the reset and a Retry-After date are read against the answer's own Date header (LogTraceResponse.ResetIn),
//   and every wait is kept on the monotonic clock: a skewed or stepped local wall clock changes no wait.
sealed class RateLimitPacer
{
    static readonly TimeSpan ResetMargin = TimeSpan.FromSeconds(1);
    // A header may name any time, up to the year 9999: no answer pauses the sink longer than this (one probe then
    // asks again).
    internal static readonly TimeSpan MaxPause = TimeSpan.FromHours(1);
    static readonly TimeSpan ProbePoll = TimeSpan.FromMilliseconds(250);

    readonly TimeProvider _time;
    readonly object _lock = new();
    long? _budget;
    // Monotonic timestamps (Clock.TimestampAfter).
    long _resetAt;
    long _pausedUntil;
    int _inFlight;
    bool _probeInFlight;
    // Whether any answer has paused the senders: until one has, and while no limit is known, a turn needs no clock.
    bool _everPaused;
    // Whether a sender waits on _changed: an answer replaces the signal only then, not at every request.
    bool _signalTaken;
    TaskCompletionSource<bool> _changed = NewSignal();

    public RateLimitPacer(TimeProvider time)
    {
        _time = time;
        _resetAt = _pausedUntil = time.GetTimestamp();
    }

    // Waits until a request may be sent. The caller must pass the result to Complete once the request is over.
    public async Task<Turn> WaitForTurnAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            Task changed;
            lock (_lock)
            {
                // No limit known and never paused (a service that sends no rate-limit headers, or before its first
                // answer): nothing to wait for, and nothing to read the clock for.
                if (_budget == null && !_everPaused)
                {
                    _inFlight++;
                    return new Turn(probe: false);
                }
                var paused = Clock.Until(_time, _pausedUntil);
                var untilProbe = Clock.Until(_time, _resetAt) + ResetMargin;
                if (paused > TimeSpan.Zero)
                {
                    wait = paused;
                }
                else if (_budget is null or > 0)
                {
                    if (_budget.HasValue)
                        _budget--;
                    _inFlight++;
                    return new Turn(probe: false);
                }
                else if (untilProbe <= TimeSpan.Zero && !_probeInFlight)
                {
                    _probeInFlight = true;
                    _inFlight++;
                    return new Turn(probe: true);
                }
                else
                {
                    wait = _probeInFlight ? ProbePoll : untilProbe;
                }
                changed = _changed.Task;
                _signalTaken = true;
            }

            await Clock.WhenAnyOrDelayAsync(_time, changed, wait, cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    // Records what an answer says about the limit; null when the request got no answer.
    public void Complete(Turn turn, LogTraceResponse? response)
    {
        TaskCompletionSource<bool> changed;
        lock (_lock)
        {
            _inFlight--;
            if (turn.Probe)
                _probeInFlight = false;

            // A redirect a caller's handler followed is not the service's answer (EventDelivery refuses it): its final
            // status and headers say nothing of this service's limit.
            if (response is { RedirectedTo: null } answer)
            {
                var now = _time.GetUtcNow();
                var resetIn = answer.RateLimit.IsPresent ? answer.ResetIn(now) : TimeSpan.Zero;
                resetIn = Clock.Bounded(resetIn, MaxPause);
                if (answer.RateLimit.IsPresent)
                {
                    // The other requests in flight may not be in this count yet: assume they are not. Answers can
                    // arrive out of order, so an answer only lowers the budget; it grows again only through a probe
                    // (the first answer after waiting for Reset) or the very first answer.
                    var estimate = Math.Max(0, answer.RateLimit.Remaining - _inFlight);
                    _budget = turn.Probe || _budget == null ? estimate : Math.Min(_budget.Value, estimate);
                    _resetAt = Clock.TimestampAfter(_time, resetIn);
                }
                else if (turn.Probe && answer.StatusCode != 429)
                {
                    // A probe answered without the headers (a 429 from a proxy or a gateway, then answers that never
                    // carry them): no limit is known again. Left at 0, every later request would be a probe, one at
                    // a time, for the life of the process.
                    _budget = null;
                }

                if (answer.StatusCode == 429)
                {
                    _budget = 0;
                    var delay = answer.RetryAfterDelay(now)
                        ?? (resetIn > TimeSpan.Zero ? resetIn + ResetMargin : TimeSpan.FromSeconds(60));
                    PauseFor(delay);
                }
                else if (answer.RetryAfterDelay(now) is { } retryAfter && DeliveryPolicy.Classify(answer.StatusCode) == Outcome.Retry)
                {
                    // Only an answer the event is retried after pauses everyone (a 503 with Retry-After): a 413's or a
                    // 404's Retry-After (proxies add them) is no reason to hold the other events.
                    PauseFor(retryAfter);
                }
            }

            if (!_signalTaken)
                return;
            changed = _changed;
            _changed = NewSignal();
            _signalTaken = false;
        }
        changed.TrySetResult(true);
    }

    void PauseFor(TimeSpan delay)
    {
        _everPaused = true;
        var until = Clock.TimestampAfter(_time, Clock.Bounded(delay, MaxPause));
        if (until > _pausedUntil)
            _pausedUntil = until;
    }

    // How long the senders are still paused (zero or less: not paused), for tests: a waiter's wake-up runs
    // asynchronously, so how long a pause is cannot be read from when a waiter's turn completes.
    internal TimeSpan PauseRemaining
    {
        get
        {
            lock (_lock)
                return Clock.Until(_time, _pausedUntil);
        }
    }

    static TaskCompletionSource<bool> NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public readonly struct Turn
    {
        public Turn(bool probe) => Probe = probe;

        public bool Probe { get; }
    }
}
