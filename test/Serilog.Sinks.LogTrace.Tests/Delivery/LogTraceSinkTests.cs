using Serilog.Core;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Configuration;
using Serilog.Sinks.LogTrace.Delivery;
using Serilog.Sinks.LogTrace.Http;
using Serilog.Sinks.LogTrace.Tests.Support;
using static Serilog.Sinks.LogTrace.Tests.Support.Some;

namespace Serilog.Sinks.LogTrace.Tests.Delivery;

public class LogTraceSinkTests
{
    static LogTraceSink CreateSink(CollectingLogTraceApi api, Action<LogTraceSinkOptions>? configure = null)
    {
        var options = new LogTraceSinkOptions { ApiKey = ApiKey, Endpoint = "https://logtrace.example/v1/developers" };
        configure?.Invoke(options);
        return LogTraceLoggerConfigurationExtensions.CreateSink(LogTraceSinkSettings.Create(options, _ => null), api);
    }

    [Fact]
    public async Task EachEventOfABatchIsSentAsItsOwnRequest()
    {
        var api = new CollectingLogTraceApi();
        var sink = CreateSink(api);

        await sink.EmitBatchAsync(new[] { Event("a"), Event("b"), Event("c") });

        Assert.Equal(new[] { "a", "b", "c" }, api.Bodies.Select(b => b.GetProperty("name").GetString()).OrderBy(n => n));
        Assert.Equal(3, sink.Counters.Sent);
    }

    [Fact]
    public async Task ARejectedEventIsReportedWithStatusAndMessageAndDoesNotStopTheOthers()
    {
        var api = new CollectingLogTraceApi(body => Task.FromResult(body.GetProperty("name").GetString() == "bad"
            ? new LogTraceResponse(400, "failed to validate payload")
            : new LogTraceResponse(202, null)));
        var sink = CreateSink(api);
        var listener = new CollectingFailureListener();
        sink.SetFailureListener(listener);
        var bad = Event("bad");

        await sink.EmitBatchAsync(new[] { Event("a"), bad, Event("b") });

        Assert.Equal(3, api.Bodies.Count);
        Assert.Equal(2, sink.Counters.Sent);
        Assert.Equal(1, sink.Counters.Rejected);
        var failure = Assert.Single(listener.Failures);
        Assert.Equal(LoggingFailureKind.Permanent, failure.Kind);
        Assert.Same(bad, Assert.Single(failure.Events));
        Assert.Contains("400", failure.Message);
        Assert.Contains("failed to validate payload", failure.Message);
    }

    [Fact]
    public async Task ATransportFailureIsReportedAndCounted()
    {
        var api = new CollectingLogTraceApi(_ => throw new HttpRequestException("Connection refused (127.0.0.1:1)"));
        var sink = CreateSink(api);
        var listener = new CollectingFailureListener();
        sink.SetFailureListener(listener);

        await sink.EmitBatchAsync(new[] { Event("a"), Event("b") });

        Assert.Equal(2, sink.Counters.Failed);
        Assert.All(listener.Failures, f => Assert.Contains("Connection refused", f.Message));
        Assert.All(listener.Failures, f => Assert.IsType<HttpRequestException>(f.Exception));
    }

    [Fact]
    public async Task TheApiKeyNeverAppearsInAReport()
    {
        var api = new CollectingLogTraceApi(_ => Task.FromResult(new LogTraceResponse(401, "API key " + ApiKey + " not found {0}")));
        var sink = CreateSink(api);
        var listener = new CollectingFailureListener();
        sink.SetFailureListener(listener);

        await sink.EmitBatchAsync(new[] { Event("a") });

        var message = Assert.Single(listener.Failures).Message;
        Assert.DoesNotContain(ApiKey, message);
        Assert.Contains("[REDACTED]", message);
        // Braces would break SelfLog's default listener, which formats the message.
        Assert.DoesNotContain("{", message);
    }

    [Fact]
    public async Task AnEventWithoutUserIsDroppedCountedAndReportedWhenNoFallbackIsConfigured()
    {
        var api = new CollectingLogTraceApi();
        var sink = CreateSink(api, o => o.FallbackUserName = null);
        var listener = new CollectingFailureListener();
        sink.SetFailureListener(listener);

        await sink.EmitBatchAsync(new[] { Event("no.user", userName: null), Event("with.user") });

        Assert.Equal("with.user", Assert.Single(api.Bodies).GetProperty("name").GetString());
        Assert.Equal(1, sink.Counters.DroppedWithoutUser);
        Assert.Contains("neither UserId nor UserName", Assert.Single(listener.Failures).Message);
    }

    [Fact]
    public async Task AnEventWithAnInvalidNameIsDroppedCountedAndReported()
    {
        var api = new CollectingLogTraceApi();
        var sink = CreateSink(api);
        var listener = new CollectingFailureListener();
        sink.SetFailureListener(listener);
        var invalid = LogEvent(properties: new[] { Prop(LogTraceProperties.EventName, new StructureValue(Array.Empty<LogEventProperty>())) });

        await sink.EmitBatchAsync(new[] { invalid });

        Assert.Empty(api.Bodies);
        Assert.Equal(1, sink.Counters.DroppedInvalid);
        Assert.Single(listener.Failures);
    }

    [Fact]
    public async Task NoMoreThanTheConfiguredNumberOfRequestsAreInFlight()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = 0;
        var api = new CollectingLogTraceApi(async _ =>
        {
            Interlocked.Increment(ref started);
            await release.Task;
            return new LogTraceResponse(202, null);
        });
        var sink = CreateSink(api, o => o.MaxConcurrentRequests = 3);

        var emit = sink.EmitBatchAsync(Enumerable.Range(0, 10).Select(i => Event("e" + i)).ToArray());
        await Eventually.TrueAsync(() => Volatile.Read(ref started) == 3, "three requests are in flight");
        Assert.False(emit.IsCompleted);
        release.SetResult();
        await emit;

        Assert.Equal(3, api.MaxInFlight);
        Assert.Equal(10, sink.Counters.Sent);
    }

    [Fact]
    public void DisposingTheSinkDisposesTheApi()
    {
        var api = new CollectingLogTraceApi();
        CreateSink(api).Dispose();
        Assert.True(api.Disposed);
    }
}
