using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Sending;

namespace Serilog.Sinks.LogTrace.Pipeline;

// LogTraceStatus.FlushAsync over the given sinks: every sink's flush epoch is closed at the call, before any wait, so
// "logged before the call" is one moment for all of them; then each is waited for on its own clock, up to the
// timeout, however long (a timer takes at most Clock.MaxDelay, so a longer timeout is waited in turns, each measured
// from the flush's start). Nothing is disposed, released early or hurried: records waiting for their request, the rate limit or a
// retry go on as they would, and a timeout reports them as remaining instead of throwing.
static class SinkFlush
{
    // The timeout is checked at once, not when the task is awaited.
    public static Task<LogTraceFlushResult> FlushAsync(IReadOnlyList<LogTraceSink> sinks, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout,
                "The LogTrace flush's timeout must be zero (to see what remains now), more, or Timeout.InfiniteTimeSpan.");
        }
        return WaitAsync(sinks, timeout, cancellationToken);
    }

    // A token cancelled already closes the epochs all the same (nothing is lost by that), and throws at once.
    static async Task<LogTraceFlushResult> WaitAsync(IReadOnlyList<LogTraceSink> sinks, TimeSpan timeout, CancellationToken cancellationToken)
    {

        var epochs = new FlushEpoch[sinks.Count];
        for (var i = 0; i < epochs.Length; i++)
            epochs[i] = sinks[i].BeginFlush();
        var waits = new Task[epochs.Length];
        for (var i = 0; i < waits.Length; i++)
            waits[i] = WaitForAsync(sinks[i].Time, epochs[i].Settled, timeout, cancellationToken);
        await Task.WhenAll(waits).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();

        long remaining = 0;
        foreach (var epoch in epochs)
            remaining += epoch.Remaining;
        return new LogTraceFlushResult(remaining, epochs.Length);
    }

    // Until the epoch settles, the token is cancelled or `timeout` has passed on this clock since the call; never
    // throws. Infinite (or TimeSpan.MaxValue, which no clock reaches) waits for one of the other two.
    static async Task WaitForAsync(TimeProvider time, Task settled, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var infinite = timeout == Timeout.InfiniteTimeSpan;
        var start = time.GetTimestamp();
        while (!settled.IsCompleted && !cancellationToken.IsCancellationRequested)
        {
            var left = infinite ? Clock.MaxDelay : timeout - time.GetElapsedTime(start);
            if (left <= TimeSpan.Zero)
                return;
            await Clock.WhenAnyOrDelayAsync(time, settled, left, cancellationToken).ConfigureAwait(false);
        }
    }
}
