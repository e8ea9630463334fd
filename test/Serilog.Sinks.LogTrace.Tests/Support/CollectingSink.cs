using Serilog.Core;
using Serilog.Events;

namespace Serilog.Sinks.LogTrace.Tests.Support;

// A sink that keeps what it receives, e.g. as the fallback of WriteTo.FallbackChain.
sealed class CollectingSink : ILogEventSink
{
    readonly List<LogEvent> _events = new();

    public IReadOnlyList<LogEvent> Events
    {
        get { lock (_events) return _events.ToArray(); }
    }

    public void Emit(LogEvent logEvent)
    {
        lock (_events)
            _events.Add(logEvent);
    }
}
