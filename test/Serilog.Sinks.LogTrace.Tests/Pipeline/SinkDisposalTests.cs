using Microsoft.Extensions.Time.Testing;
using Serilog.Sinks.LogTrace.Configuration;
using Serilog.Sinks.LogTrace.Pipeline;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Pipeline;

// LogTraceSink's disposal against an outbox that records what it is asked: an outbox that finished is closed, not
// abandoned; one that never finishes is abandoned AbandonAfter past the deadline, then closed; a second Dispose does
// nothing; the sink's meter and shutdown timer are released at the end; and the status prefers the sink's own reason the buffer is unavailable to the outbox's.
public class SinkDisposalTests
{
    static (LogTraceSink Sink, RecordingOutbox Outbox) Sink(Task completion, FakeTimeProvider? time = null)
    {
        var options = new LogTraceSinkOptions { ApiKey = Some.ApiKey, ShutdownTimeout = TimeSpan.FromSeconds(2) };
        if (time != null)
            options.TimeProvider = time;
        var settings = LogTraceSinkSettings.Create(options, _ => null);
        RecordingOutbox? outbox = null;
        var sink = new LogTraceSink(settings, s => s, _ => outbox = new RecordingOutbox(completion));
        return (sink, outbox!);
    }

    [Fact]
    public void AFinishedOutboxIsClosedOnceAndNeverAbandoned()
    {
        var (sink, outbox) = Sink(Task.CompletedTask);

        sink.Dispose();
        sink.Dispose();

        Assert.Equal(1, outbox.Closed);
        Assert.Equal(0, outbox.Abandoned);
    }

    [Fact]
    public async Task AFinishedOutboxIsClosedOnceWhenDisposedAsynchronouslyToo()
    {
        var (sink, outbox) = Sink(Task.CompletedTask);

        await sink.DisposeAsync();
        await sink.DisposeAsync();
        sink.Dispose();

        Assert.Equal(1, outbox.Closed);
        Assert.Equal(0, outbox.Abandoned);
    }

    [Fact]
    public async Task AnOutboxThatNeverFinishesIsAbandonedPastTheDeadlineThenClosed()
    {
        var time = new FakeTimeProvider();
        var (sink, outbox) = Sink(new TaskCompletionSource().Task, time);

        var disposing = Task.Run(sink.Dispose);
        await time.AdvanceUntilAsync(() => disposing.IsCompleted, "the sink gives up on its outbox", TimeSpan.FromMilliseconds(500));
        await disposing;

        Assert.Equal(1, outbox.Abandoned);
        Assert.Equal(1, outbox.Closed);
    }

    [Fact]
    public void DisposalReleasesTheSinksMeter()
    {
        var (sink, _) = Sink(Task.CompletedTask);
        // Only this sink's instruments are followed.
        using var watch = new MeterWatch(sink.Counters.Meter);
        Assert.NotEmpty(watch.Instruments);
        Assert.Empty(watch.Completed);

        sink.Dispose();

        Assert.All(watch.Instruments, instrument => Assert.Contains(instrument, watch.Completed));
    }

    [Fact]
    public void DisposalReleasesTheShutdownTimer()
    {
        var time = new FakeTimeProvider();
        var (sink, _) = Sink(Task.CompletedTask, time);

        sink.Dispose();
        time.Advance(TimeSpan.FromSeconds(3));

        // A timer still alive would have cancelled the deadline 2 s after the shutdown began.
        Assert.True(sink.Shutdown.HasBegun);
        Assert.False(sink.Shutdown.Deadline.IsCancellationRequested);
    }

    [Fact]
    public void TheSinksOwnReasonTheBufferIsUnavailableComesFirst()
    {
        var (sink, _) = Sink(Task.CompletedTask);

        Assert.Equal("the outbox's reason", sink.Status(false).BufferUnavailable);
        sink.BufferUnavailable = "the sink's reason";
        Assert.Equal("the sink's reason", sink.Status(false).BufferUnavailable);
        sink.Dispose();
    }
}
