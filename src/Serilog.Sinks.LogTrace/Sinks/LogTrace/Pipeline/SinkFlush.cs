using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Sending;

namespace Serilog.Sinks.LogTrace.Pipeline;

// LogTraceStatus.FlushAsync over the given sinks: every sink's flush epoch is closed at the call, before any wait, so
// "logged before the call" is one moment for all of them; then each is waited for on its own clock, up to the
// timeout. Nothing is disposed, released early or hurried: records waiting for their request, the rate limit or a
// retry go on as they would, and a timeout reports them as remaining instead of throwing.
static class SinkFlush
{
    // The timeout is checked at once, not when the task is awaited.
    public static Task<LogTraceFlushResult> FlushAsync(IReadOnlyList<LogTraceSink> sinks, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (timeout < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout,
                "The LogTrace flush's timeout must be zero (to see what remains now) or more.");
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
            waits[i] = Clock.WhenAnyOrDelayAsync(sinks[i].Time, epochs[i].Settled, timeout, cancellationToken);
        await Task.WhenAll(waits).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();

        long remaining = 0;
        foreach (var epoch in epochs)
            remaining += epoch.Remaining;
        return new LogTraceFlushResult(remaining, epochs.Length);
    }
}
