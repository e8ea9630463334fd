using Serilog.Core;
using Serilog.Events;

namespace Serilog.Sinks.LogTrace.Benchmarks.Support;

// The baseline: a sink that does nothing at all.
sealed class DiscardSink : ILogEventSink
{
    public void Emit(LogEvent logEvent) { }
}

// Serilog's own batching with a consumer that never finishes a batch: what BatchingSink alone costs per queued event.
sealed class StalledBatchedSink : IBatchedLogEventSink
{
    readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task EmitBatchAsync(IReadOnlyCollection<LogEvent> batch) => _release.Task;

    public Task OnEmptyBatchAsync() => Task.CompletedTask;

    public void Release() => _release.TrySetResult();
}

// An endpoint that never answers until released (the service stalled): events stay queued.
sealed class StalledHandler : HttpMessageHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        throw new OperationCanceledException(cancellationToken);
    }
}
