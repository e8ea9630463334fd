using Serilog.Events;
using Serilog.Sinks.LogTrace.Configuration;
using Serilog.Sinks.LogTrace.Pipeline;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Pipeline;

// A request context that fails to add its values: the record is kept, goes without waiting for that request, and
// SelfLog says which context failed.
[Collection(SelfLogCollection.Name)]
public class RequestCaptureTests
{
    sealed class ThrowingRequest() : LogTraceRequestContext(TimeSpan.FromSeconds(5))
    {
        public override Task Completed => new TaskCompletionSource().Task;

        public override int? StatusCode => null;

        public override TimeSpan? Duration => null;

        public override bool AddProperties(LogEvent logEvent) => throw new InvalidOperationException("no values");
    }

    [Fact]
    public void ARecordWhoseRequestContextThrowsGoesWithoutItsRequest()
    {
        using var selfLog = new SelfLogCollector();
        var settings = LogTraceSinkSettings.Create(new LogTraceSinkOptions { ApiKey = Some.ApiKey }, _ => null);
        using var sink = new LogTraceSink(settings, s => s, _ => new RecordingOutbox(Task.CompletedTask));
        var logEvent = Some.Event("user.login");

        LogTraceRequestContext.Current = new ThrowingRequest();
        try
        {
            sink.Emit(logEvent);
        }
        finally
        {
            LogTraceRequestContext.Current = null;
        }

        Assert.True(sink.Queue.TryTake(out var record));
        Assert.Null(record.Request);
        Assert.NotSame(logEvent, record.Event);
        Assert.Contains(selfLog.Lines, l => l.Contains("LogTrace: the request context ThrowingRequest failed to add its values to an event"));
    }
}
