using Serilog.Events;
using Serilog.Sinks.LogTrace.Delivery;

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

    // The sink's copy of an event logged in the request this context belongs to.
    public static LogEvent EventIn(string name, LogTraceRequestContext completion) =>
        Some.Event(name, properties: Some.Prop(LogTraceProperties.RequestContext, new ScalarValue(new RequestBinding(completion, Some.Event(name)))));
}
