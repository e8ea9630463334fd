using Serilog.Sinks.LogTrace.Pipeline;

namespace Serilog.Sinks.LogTrace.Tests.Support;

static class SinkDisposal
{
    // The netstandard2.0 build has no IAsyncDisposable (Serilog disposes it synchronously there).
    public static Task DisposeSinkAsync(this LogTraceSink sink) =>
#if LOGTRACE_NETSTANDARD_LEG
        Task.Run(sink.Dispose);
#else
        sink.DisposeAsync().AsTask();
#endif
}
