using Microsoft.Extensions.Time.Testing;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Pipeline;
using Serilog.Sinks.LogTrace.Sending;
using Serilog.Sinks.LogTrace.Tests.Support;
using static Serilog.Sinks.LogTrace.Tests.Support.Some;

namespace Serilog.Sinks.LogTrace.Tests.Pipeline;

// The sink's one queue: records in the order they were logged, except that a record of a request still running waits
// off the line (the hold) and comes back when the request ends; complete once closed and the hold is empty.
public sealed class RecordQueueTests : IDisposable
{
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    readonly FakeTimeProvider _time = new(Timestamp);
    readonly ShutdownDeadline _shutdown;
    readonly RecordQueue _queue;
    readonly List<PendingRecord> _notTaken = new();

    public RecordQueueTests()
    {
        _shutdown = new ShutdownDeadline(_time, TimeSpan.FromSeconds(5));
        _queue = new RecordQueue(_time, _shutdown, r => { lock (_notTaken) _notTaken.Add(r); });
    }

    public void Dispose() => _shutdown.Dispose();

    static PendingRecord In(LogEvent logEvent, LogTraceRequestContext? request) => new(logEvent, logEvent, request, 100);

    static string Name(PendingRecord record) => record.Event.Properties[LogTraceProperties.EventName].ToString();

    [Fact]
    public void RecordsOutsideARequestComeOutInTheOrderTheyWentIn()
    {
        Assert.True(_queue.TryWrite(In(Event("a"), null)));
        Assert.True(_queue.TryWrite(In(Event("b"), null)));

        Assert.True(_queue.TryTake(out var first));
        Assert.True(_queue.TryTake(out var second));
        Assert.False(_queue.TryTake(out _));
        Assert.Equal(new[] { "\"a\"", "\"b\"" }, new[] { Name(first), Name(second) });
    }

    [Fact]
    public void ARecordOfARequestThatHasEndedIsNotHeld()
    {
        var request = new TestCompletion(TimeSpan.FromSeconds(5));
        request.Complete(200, TimeSpan.FromMilliseconds(3));
        _queue.TryWrite(In(Event("done"), request));

        Assert.True(_queue.TryTake(out var record));
        Assert.False(record.Waited);
        Assert.Null(_queue.Late.Oldest);
    }

    [Fact]
    public async Task ARecordOfARunningRequestWaitsOffTheLineAndComesBackWhenTheRequestEnds()
    {
        var request = new TestCompletion(TimeSpan.FromSeconds(5));
        _queue.TryWrite(In(Event("held"), request));
        _queue.TryWrite(In(Event("free"), null));

        Assert.True(_queue.TryTake(out var first));
        Assert.Equal("\"free\"", Name(first));
        Assert.False(_queue.TryTake(out _));

        // Out of the line, the held record is counted late (the status's oldest), and until it is taken again.
        Assert.Equal(Some.Timestamp, _queue.Late.Oldest);
        request.Complete(201, TimeSpan.FromMilliseconds(3));
        await Eventually.TrueAsync(() => _queue.OldestWaiting() != null, "the record is back in the line");
        Assert.Equal(Some.Timestamp, _queue.Late.Oldest);
        var back = await _queue.TakeAsync().AsTask().WaitAsync(Deadline);
        Assert.Null(_queue.Late.Oldest);

        Assert.Equal("\"held\"", Name(back!.Value));
        Assert.True(back.Value.Waited);
        Assert.Same(request, back.Value.Request);
    }

    [Fact]
    public async Task AHeldRecordComesBackAtItsRequestsMaxWaitAfterItsTimestamp()
    {
        var request = new TestCompletion(TimeSpan.FromSeconds(5));
        _queue.TryWrite(In(Event("held"), request));
        Assert.False(_queue.TryTake(out _));

        var back = _queue.TakeAsync().AsTask();
        _time.Advance(TimeSpan.FromSeconds(4));
        await Task.Delay(20);
        Assert.False(back.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.True((await back.WaitAsync(Deadline))!.Value.Waited);
    }

    [Fact]
    public async Task OnceTheShutdownHasBegunNothingIsHeldAndHeldRecordsComeBack()
    {
        var running = new TestCompletion(TimeSpan.FromMinutes(5));
        _queue.TryWrite(In(Event("held"), running));
        Assert.False(_queue.TryTake(out _));

        _shutdown.Begin();
        _queue.TryWrite(In(Event("late"), running));

        Assert.True(_queue.TryTake(out var late));
        Assert.Equal("\"late\"", Name(late));
        Assert.False(late.Waited);
        Assert.Equal("\"held\"", Name((await _queue.TakeAsync().AsTask().WaitAsync(Deadline))!.Value));
    }

    [Fact]
    public async Task ClosedTheQueueCompletesOnceTheHoldIsEmpty()
    {
        var running = new TestCompletion(TimeSpan.FromMinutes(5));
        _queue.TryWrite(In(Event("held"), running));
        Assert.False(_queue.TryTake(out _));

        _queue.Close();
        Assert.False(_queue.TryWrite(In(Event("after"), null)));
        var next = _queue.TakeAsync().AsTask();
        await Task.Delay(20);
        Assert.False(next.IsCompleted, "the held record is still to come");

        running.Complete(200, TimeSpan.Zero);
        Assert.Equal("\"held\"", Name((await next.WaitAsync(Deadline))!.Value));
        Assert.Null(await _queue.TakeAsync().AsTask().WaitAsync(Deadline));
        Assert.False(await _queue.WaitToReadAsync().AsTask().WaitAsync(Deadline));
        Assert.Empty(_notTaken);
    }

    [Fact]
    public async Task AnEmptyQueueIsCompleteAsSoonAsItIsClosed()
    {
        var waiting = _queue.TakeAsync().AsTask();

        _queue.Close();

        Assert.Null(await waiting.WaitAsync(Deadline));
        Assert.False(_queue.TryTake(out _));
    }

    [Fact]
    public void ARecordThatAlreadyWaitedIsNeverHeldAgain()
    {
        var running = new TestCompletion(TimeSpan.FromMinutes(5));
        _queue.TryWrite(In(Event("again"), running).AfterWaiting());

        Assert.True(_queue.TryTake(out var record));
        Assert.True(record.Waited);
    }
}
