using System;
using System.Threading;
using System.Threading.Tasks;
using Serilog.Core;

namespace Serilog.Sinks.LogTrace.Delivery;

// What the in-memory and the buffered sink share about their end: disposed once, synchronously or not, in three
// steps. The shutdown begins; the workers (senders, and the buffer's pump) finish by the deadline, or are abandoned
// AbandonAfter past it if a caller's HttpMessageHandler ignores cancellation; then the summary is written and
// everything released.
abstract class SenderSink : IDisposable
#if NET8_0_OR_GREATER
    , IAsyncDisposable
#endif
{
    internal static readonly TimeSpan AbandonAfter = TimeSpan.FromSeconds(5);

    int _disposed;

    // Begins the shutdown and tells the workers that nothing more is coming.
    protected abstract void BeginDispose();

    protected abstract Task Workers { get; }

    // Written to SelfLog when the workers are abandoned.
    protected abstract void OnAbandoned();

    protected abstract void EndDispose();

    protected abstract TimeProvider Time { get; }

    protected abstract CancellationToken Deadline { get; }

    public void Dispose()
    {
        if (!Prepare())
            return;
        try
        {
            WorkersOrGiveUpAsync().GetAwaiter().GetResult();
        }
        finally
        {
            EndDispose();
        }
    }

#if NET8_0_OR_GREATER
    public async ValueTask DisposeAsync()
    {
        if (!Prepare())
            return;
        try
        {
            await WorkersOrGiveUpAsync().ConfigureAwait(false);
        }
        finally
        {
            EndDispose();
        }
    }
#endif

    bool Prepare()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return false;
        BeginDispose();
        return true;
    }

    async Task WorkersOrGiveUpAsync()
    {
        var workers = Workers;
        var giveUp = Clock.WhenCancelledThenDelayAsync(Time, Deadline, AbandonAfter);
        if (await Task.WhenAny(workers, giveUp).ConfigureAwait(false) != workers)
            OnAbandoned();
    }
}
