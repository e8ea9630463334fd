using System.Runtime.CompilerServices;
using Serilog.Core;
using Serilog.Events;

namespace Serilog.Sinks.LogTrace.Tests.Support;

// A request's context that the test ends when it chooses, as the ASP.NET Core package's state does at the end of a
// request.
sealed class TestCompletion : LogTraceRequestContext
{
    readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    int? _status;
    TimeSpan? _duration;

    public TestCompletion(TimeSpan maxWait) : base(maxWait) { }

    public override Task Completed => _done.Task;
    public override int? StatusCode => _status;
    public override TimeSpan? Duration => _duration;
    public override bool AddProperties(LogEvent logEvent) => true;

    public void Complete(int status, TimeSpan duration)
    {
        _status = status;
        _duration = duration;
        _done.SetResult();
    }

    static readonly ConditionalWeakTable<LogEvent, LogTraceRequestContext> Requests = new();

    // An event to be logged inside the request this context belongs to (Emit makes the context current for it).
    public static LogEvent EventIn(string name, LogTraceRequestContext completion) => In(Some.Event(name), completion);

    public static LogEvent In(LogEvent logEvent, LogTraceRequestContext completion)
    {
        Requests.AddOrUpdate(logEvent, completion);
        return logEvent;
    }

    // Emits the event as the application would log it: inside its request, when In made it one.
    public static void Emit(ILogEventSink sink, LogEvent logEvent)
    {
        if (!Requests.TryGetValue(logEvent, out var request))
        {
            sink.Emit(logEvent);
            return;
        }
        var before = Current;
        Current = request;
        try
        {
            sink.Emit(logEvent);
        }
        finally
        {
            Current = before;
        }
    }
}
