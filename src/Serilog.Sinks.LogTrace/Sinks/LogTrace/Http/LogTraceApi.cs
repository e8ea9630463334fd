using System;
using System.Threading;
using System.Threading.Tasks;
using Serilog.Sinks.LogTrace.Records;
using Serilog.Sinks.LogTrace.Sending;

namespace Serilog.Sinks.LogTrace.Http;

// The one seam between delivery logic and the network, so delivery can be tested without sockets. The real
// implementation is also tested against a LogTrace-compatible server on loopback.
abstract class LogTraceApi : IDisposable
{
    // Sends one record's body to its kind's route (the service has no batch endpoint). Transport failures (connection
    // refused, reset, timeout) throw; every HTTP answer, success or not, is returned.
    public abstract Task<LogTraceResponse> PostAsync(RecordKind kind, ReadOnlyMemory<byte> body, CancellationToken cancellationToken);

    // The URL a kind of record is posted to, for reports (it carries no credentials: the endpoint may not); null when
    // there is none (a test's stand-in).
    public virtual Uri? RouteOf(RecordKind kind) => null;

    public virtual void Dispose()
    {
    }
}

// What the delivery logic needs from an answer: the status, the service's message, and the pacing headers.
readonly struct LogTraceResponse
{
    public LogTraceResponse(int statusCode, string? message, RateLimitHeaders rateLimit = default, RetryAfter retryAfter = default,
        string? redirectedTo = null, DateTimeOffset? date = null)
    {
        Date = date;
        StatusCode = statusCode;
        Message = message;
        RateLimit = rateLimit;
        RetryAfter = retryAfter;
        RedirectedTo = redirectedTo;
    }

    public int StatusCode { get; }

    // The service's {"message": "..."} text, or the plain-text body (429 answers), when the answer is not a success.
    public string? Message { get; }

    public RateLimitHeaders RateLimit { get; }

    public RetryAfter RetryAfter { get; }

    // A 3xx answer's Location (scheme, host and path), which the sink reports and never follows.
    public string? RedirectedTo { get; }

    public bool IsSuccess => StatusCode is >= 200 and <= 299;

    // The answer's Date header: the service's clock when it answered, or null when it sent none.
    public DateTimeOffset? Date { get; }

    // The longest the rate limit's reset is trusted: the service's window is one minute (docs/logtrace-api.md), so a
    // reset further away is a clock gone wrong (a local clock that is slow, or a proxy's stale answer with an old Date).
    internal static readonly TimeSpan ResetLimit = TimeSpan.FromMinutes(1);

    // How long until the rate limit's reset. Measured from the answer's own Date, so that a skewed or stepped local
    // clock changes nothing; an answer without a Date is measured against the local clock. Never negative, and never
    // more than ResetLimit.
    public TimeSpan ResetIn(DateTimeOffset localNow)
    {
        var delay = Date is { } date ? RateLimit.Reset - date : RateLimit.Reset - localNow;
        return Clock.Bounded(delay, ResetLimit);
    }

    // How long Retry-After asks to wait; a date is measured from the answer's own Date where it has one.
    public TimeSpan? RetryAfterDelay(DateTimeOffset localNow) => RetryAfter.DelayFrom(Date ?? localNow);
}

// X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset (unix seconds); absent when the service sends none.
readonly struct RateLimitHeaders
{
    public RateLimitHeaders(int limit, int remaining, DateTimeOffset reset)
    {
        Limit = limit;
        Remaining = remaining;
        Reset = reset;
        IsPresent = true;
    }

    public bool IsPresent { get; }
    public int Limit { get; }
    public int Remaining { get; }
    public DateTimeOffset Reset { get; }
}

// Retry-After, as seconds or as an HTTP date; absent when the answer has none.
readonly struct RetryAfter
{
    readonly TimeSpan? _delay;
    readonly DateTimeOffset? _date;

    RetryAfter(TimeSpan? delay, DateTimeOffset? date)
    {
        _delay = delay;
        _date = date;
    }

    public static RetryAfter After(TimeSpan delay) => new(Clock.Bounded(delay, TimeSpan.MaxValue), null);

    public static RetryAfter At(DateTimeOffset date) => new(null, date);

    public bool IsPresent => _delay.HasValue || _date.HasValue;

    // Whether it names a date, which is measured against the answer's Date (LogTraceResponse.RetryAfterDelay).
    public bool IsDate => _date.HasValue;

    // How long to wait from now; a date in the past means "now".
    public TimeSpan? DelayFrom(DateTimeOffset now)
    {
        if (_delay.HasValue)
            return _delay.Value;
        if (_date.HasValue)
            return Clock.Bounded(_date.Value - now, TimeSpan.MaxValue);
        return null;
    }
}
