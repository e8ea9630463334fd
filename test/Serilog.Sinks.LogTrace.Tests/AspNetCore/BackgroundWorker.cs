using System.Threading.Channels;
using Serilog.Sinks.LogTrace.AspNetCore;

namespace Serilog.Sinks.LogTrace.Tests.AspNetCore;

// A singleton that starts its own loop in its constructor, the way many applications do: whichever request first
// resolves it, the loop runs in that request's execution context for the application's lifetime.
sealed class BackgroundWorker : IDisposable
{
    readonly Channel<string> _work = Channel.CreateUnbounded<string>();

    public BackgroundWorker(Serilog.ILogger log)
    {
        InheritedRequest = LogTraceRequestContext.Current as RequestState;
        _ = Task.Run(async () =>
        {
            await foreach (var eventName in _work.Reader.ReadAllAsync())
                log.ForContext(LogTraceProperties.EventName, eventName).Information("Background work done");
        });
    }

    // The request whose flow the loop inherited, for tests to wait on.
    public RequestState? InheritedRequest { get; }

    public void LogEvent(string eventName) => _work.Writer.TryWrite(eventName);

    public void Dispose() => _work.Writer.TryComplete();
}
