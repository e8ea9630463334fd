using System;
using System.Threading;
using System.Threading.Tasks;
using Serilog.Sinks.LogTrace.Accounting;

namespace Serilog.Sinks.LogTrace.Sending;

// TimeProvider-based waits on every target framework (Microsoft.Bcl.TimeProvider supplies them on netstandard2.0),
// so tests drive every wait of the delivery logic with a fake clock.
static class Clock
{
    // Timers take at most about 49 days; no wait of the sink needs more than this, and callers re-check after it.
    internal static readonly TimeSpan MaxDelay = TimeSpan.FromDays(1);

    // A span as a wait: never negative, never more than `longest`.
    public static TimeSpan Bounded(TimeSpan span, TimeSpan longest) => TimeSpan.FromTicks(Math.Max(0, Math.Min(span.Ticks, longest.Ticks)));

    public static Task Delay(TimeProvider time, TimeSpan delay, CancellationToken cancellationToken)
    {
        delay = Bounded(delay, MaxDelay);
        if (delay <= TimeSpan.Zero)
            return cancellationToken.IsCancellationRequested ? Task.FromCanceled(cancellationToken) : Task.CompletedTask;
#if NET8_0_OR_GREATER
        return Task.Delay(delay, time, cancellationToken);
#else
        return time.Delay(delay, cancellationToken);
#endif
    }

    // Waits until the task finishes, the delay passes, or the token is cancelled, whichever comes first, and never
    // throws; the delay's timer is released as soon as the wait is over.
    public static async Task WhenAnyOrDelayAsync(TimeProvider time, Task task, TimeSpan delay, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await Task.WhenAny(task, Delay(time, delay, stop.Token)).ConfigureAwait(false);
        stop.Cancel();
    }

    // A point `after` from now on the monotonic clock (TimeProvider.GetTimestamp), which neither a skewed wall clock nor
    // an NTP step moves: every deadline of the sink's own (pacing, the refusal gate, the retry time limit) is one.
    public static long TimestampAfter(TimeProvider time, TimeSpan after) => time.GetTimestamp() + TimestampTicks(time, after);

    // A span in the TimeProvider's timestamp units.
    public static long TimestampTicks(TimeProvider time, TimeSpan span) =>
        (long)(span.Ticks * ((double)time.TimestampFrequency / TimeSpan.TicksPerSecond));

    // How long from now until a timestamp; negative once it has passed.
    public static TimeSpan Until(TimeProvider time, long timestamp) =>
        TimeSpan.FromTicks((long)((timestamp - time.GetTimestamp()) * ((double)TimeSpan.TicksPerSecond / time.TimestampFrequency)));

    // Finishes `delay` after the token is cancelled; never throws.
    public static async Task WhenCancelledThenDelayAsync(TimeProvider time, CancellationToken token, TimeSpan delay)
    {
        // Only its completion counts (netstandard2.0 has no TaskCompletionSource without a result).
        var cancelled = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
        using (token.Register(static state => ((TaskCompletionSource<object?>)state!).TrySetResult(null), cancelled))
            await cancelled.Task.ConfigureAwait(false);
        await Delay(time, delay, CancellationToken.None).ConfigureAwait(false);
    }
}
