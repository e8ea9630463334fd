using Serilog.Events;

namespace Serilog.Sinks.LogTrace.Tests.Support;

// A request's completion that the test ends when it chooses, as the ASP.NET Core package's state does at the end
// of a request.
sealed class TestCompletion : LogTraceRequestCompletion
{
    readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    int? _status;
    TimeSpan? _duration;

    public TestCompletion(TimeSpan maxWait) : base(maxWait) { }

    public override Task Completed => _done.Task;
    public override int? StatusCode => _status;
    public override TimeSpan? Duration => _duration;

    public void Complete(int status, TimeSpan duration)
    {
        _status = status;
        _duration = duration;
        _done.SetResult();
    }

    // An event logged in the request this completion belongs to.
    public static LogEvent EventIn(string name, LogTraceRequestCompletion completion) =>
        Some.Event(name, properties: Some.Prop(LogTraceProperties.RequestCompletion, new ScalarValue(completion)));
}
