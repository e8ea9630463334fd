using System;
using Serilog.Sinks.LogTrace.Accounting;

namespace Serilog.Sinks.LogTrace.Sending;

enum Outcome
{
    Delivered,
    Retry,
    Rejected,
    Unauthorized,
}

// What each answer means for the event, and how long to wait before trying it again.
static class DeliveryPolicy
{
    static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
    static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(60);

    public static Outcome Classify(int statusCode) => statusCode switch
    {
        >= 200 and <= 299 => Outcome.Delivered,
        // Transient: the same request may succeed later.
        408 or 429 or 500 or 502 or 503 or 504 => Outcome.Retry,
        // The key, the plan or the organisation is wrong, or the endpoint is: nothing succeeds until it is fixed.
        401 or 402 or 403 or 404 or 405 or 428 => Outcome.Unauthorized,
        // A redirect is never followed (it would carry the API key elsewhere): the endpoint must be corrected.
        >= 300 and <= 399 => Outcome.Unauthorized,
        // Any other 5xx is treated as transient: an audit event is worth another try.
        >= 500 => Outcome.Retry,
        // 400, 413, 415, 422 and every other answer: the same body can never succeed.
        _ => Outcome.Rejected,
    };

    // Exponential backoff with "equal jitter": half the step is fixed, half random, so senders that failed together
    // do not come back together.
    public static TimeSpan Backoff(int attempt, Random random)
    {
        var step = FirstBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 16));
        step = Math.Min(step, MaxBackoff.TotalMilliseconds);
        double jitter;
        lock (random)
            jitter = random.NextDouble();
        return TimeSpan.FromMilliseconds(step / 2 + jitter * step / 2);
    }
}
