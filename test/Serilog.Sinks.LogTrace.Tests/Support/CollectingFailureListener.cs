using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace Serilog.Sinks.LogTrace.Tests.Support;

sealed class CollectingFailureListener : ILoggingFailureListener
{
    public sealed record Failure(LoggingFailureKind Kind, string Message, IReadOnlyList<LogEvent> Events, Exception? Exception);

    readonly ConcurrentQueue<Failure> _failures = new();

    public IReadOnlyList<Failure> Failures => _failures.ToArray();

    public void OnLoggingFailed(object sender, LoggingFailureKind kind, string message, IReadOnlyCollection<LogEvent>? events, Exception? exception) =>
        _failures.Enqueue(new Failure(kind, message, events?.ToArray() ?? Array.Empty<LogEvent>(), exception));
}
