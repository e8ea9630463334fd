using System.Diagnostics;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Configuration;
using Serilog.Sinks.LogTrace.Pipeline;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Pipeline;

// What LogTraceSink.Emit takes from the request a record is logged in: a copy of the event that carries the request's
// values, counted at the copy's size and the original's shell; a context that fails to add its values keeps the record,
// which goes without waiting for that request, and SelfLog says which context failed; an event logged inside an
// ASP.NET Core request that has no context is counted each time and said once; and a record admitted while the queue
// closes is counted lost at shutdown.
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

    static LogTraceSink NewSink() =>
        new(LogTraceSinkSettings.Create(new LogTraceSinkOptions { ApiKey = Some.ApiKey }, _ => null), s => s, _ => new RecordingOutbox(Task.CompletedTask));

    [Fact]
    public void ARecordLoggedInARequestIsACopyCountedAtItsOwnSizeAndTheOriginalsShell()
    {
        using var sink = NewSink();
        var request = new TestCompletion(TimeSpan.FromSeconds(5));
        var logEvent = Some.Event("user.login");

        LogTraceRequestContext.Current = request;
        try
        {
            sink.Emit(logEvent);
        }
        finally
        {
            LogTraceRequestContext.Current = null;
        }

        Assert.True(sink.Queue.TryTake(out var record));
        Assert.Same(request, record.Request);
        Assert.Same(logEvent, record.Original);
        Assert.NotSame(logEvent, record.Event);
        Assert.Equal(EventSize.Estimate(record.Event) + EventSize.Shell(logEvent), record.Size);
        Assert.True(record.Size > EventSize.Estimate(record.Event));
        Assert.Equal(record.Size, sink.Counters.QueuedBytes);
    }

    [Fact]
    public void EventsInAnAspNetCoreRequestWithoutAContextAreCountedEachTimeAndSaidOnce()
    {
        using var selfLog = new SelfLogCollector();
        using var sink = NewSink();
        var previous = Activity.Current;
        Activity.Current = null;
        try
        {
            using (new Activity("Microsoft.AspNetCore.Hosting.HttpRequestIn").Start())
            {
                // Said at the first such event, not later.
                sink.Emit(Some.Event("user.login"));
                Assert.Single(selfLog.Lines, l => l.Contains("has no LogTrace context"));
                sink.Emit(Some.Event("user.logout"));
            }
            using (new Activity("Some.Other.Operation").Start())
                sink.Emit(Some.Event("invoice.created"));
            sink.Emit(Some.Event("invoice.paid"));
        }
        finally
        {
            Activity.Current = previous;
        }

        Assert.Equal(2, sink.Status(false).WithoutRequestContext);
        var warning = Assert.Single(selfLog.Lines, l => l.Contains("has no LogTrace context"));
        Assert.Contains("LogTrace: an event was logged during an HTTP request, but the request has no LogTrace context, so it is sent without " +
            "request details. Add builder.Services.AddLogTraceHttpContext() and app.UseLogTraceHttpContext() (first in the pipeline), " +
            "from the Serilog.Sinks.LogTrace.AspNetCore package.", warning);
        Assert.Equal(4, sink.Counters.Queued);
    }

    [Fact]
    public void ARecordAdmittedWhileTheQueueClosesIsCountedLostAtShutdown()
    {
        using var sink = NewSink();
        var listener = new CollectingFailureListener();
        sink.SetFailureListener(listener);
        var logEvent = Some.Event("user.login");

        // The queue closes between the record's admission and its write: Dispose on another thread.
        sink.Queue.Close();
        sink.Emit(logEvent);

        Assert.False(sink.Queue.TryTake(out _));
        Assert.Equal(1, sink.Counters.LostFor(LossReason.Shutdown));
        Assert.Equal(0, sink.Counters.Queued);
        var failure = Assert.Single(listener.Failures);
        Assert.Contains("was logged while the sink was shutting down, and was dropped", failure.Message);
        Assert.Same(logEvent, Assert.Single(failure.Events));
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
