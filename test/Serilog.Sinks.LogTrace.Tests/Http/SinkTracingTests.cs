#if !LOGTRACE_NETSTANDARD_LEG
// Not on the netstandard2.0 leg: that build sends through HttpClientHandler, whose pipeline has the DiagnosticsHandler
// and no way to take it out (docs/aot-and-trimming.md, "The sink's requests and traces").
using System.Collections.Concurrent;
using System.Diagnostics;
using Serilog.Sinks.LogTrace.Testing;

namespace Serilog.Sinks.LogTrace.Tests.Http;

// An application that traces every ActivitySource must not find the sink's own requests in its traces: one span per
// record would double a busy service's trace volume and make every trace look like it talks to LogTrace. The control,
// a plain HttpClient in the same process, proves the listeners do see HTTP client requests.
[Collection(TracingCollection.Name)]
public class SinkTracingTests
{
    const string ApiKey = "lg_tracing_0123456789";
    const string HttpClientSource = "System.Net.Http";
    const string HttpClientActivity = "System.Net.Http.HttpRequestOut";
    const int ControlRequests = 2;

    [Fact]
    public async Task WithEveryActivitySourceListenedToTheSinksRequestsStartNoHttpClientActivity()
    {
        await using var server = await LogTraceTestServer.StartAsync();
        var started = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            SampleUsingParentId = (ref ActivityCreationOptions<string> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStarted = started.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        SendThroughTheSink(server);

        var sinks = HttpClientActivities(started, server);
        Assert.True(sinks.Length == 0, "The sink's requests started " + Describe(sinks));
        // The listener was live: the server's side of the same requests was traced.
        Assert.Contains(started, a => a.Source.Name == "Microsoft.AspNetCore");

        await SendThroughAPlainHttpClientAsync(server);

        var controls = HttpClientActivities(started, server);
        Assert.Equal(ControlRequests, controls.Length);
        Assert.All(controls, a => Assert.Equal(HttpClientActivity, a.OperationName));
    }

    [Fact]
    public async Task SubscribedToTheHttpHandlerDiagnosticListenerTheSinksRequestsWriteNoEvent()
    {
        await using var server = await LogTraceTestServer.StartAsync();
        var events = new ConcurrentQueue<(string Name, Uri? Uri)>();
        using var subscription = DiagnosticListener.AllListeners.Subscribe(new Observer<DiagnosticListener>(source =>
        {
            if (source.Name == "HttpHandlerDiagnosticListener")
                source.Subscribe(new Observer<KeyValuePair<string, object?>>(e => events.Enqueue((e.Key, RequestUri(e.Value)))));
        }));

        SendThroughTheSink(server);

        Assert.DoesNotContain(events, e => IsOurs(e.Uri, server));

        await SendThroughAPlainHttpClientAsync(server);

        var controls = events.Where(e => IsOurs(e.Uri, server)).Select(e => e.Name).ToArray();
        Assert.Equal(ControlRequests, controls.Count(n => n == HttpClientActivity + ".Start"));
    }

    // Every kind of record, each to its route; disposing the logger waits until all were delivered.
    static void SendThroughTheSink(LogTraceTestServer server)
    {
        using (var logger = new LoggerConfiguration().WriteTo.LogTrace(ApiKey, server.Endpoint).CreateLogger())
        {
            logger.ForContext(LogTraceProperties.EventName, "user.login").ForContext(LogTraceProperties.UserName, "jane").Information("Signed in");
            logger.ForContext(LogTraceProperties.AuditLogName, "invoice.deleted").ForContext(LogTraceProperties.UserId, "u-1").Information("Deleted");
            logger.ForContext(LogTraceProperties.SessionStatus, "active").ForContext(LogTraceProperties.UserName, "jane").Information("Active");
        }
        Assert.Equal(3, server.Records.Count);
    }

    static async Task SendThroughAPlainHttpClientAsync(LogTraceTestServer server)
    {
        using var client = new HttpClient();
        for (var i = 0; i < ControlRequests; i++)
            using (await client.GetAsync(server.BaseUri)) { }
    }

    // The listeners are process-wide: only what went to this test's server counts. .NET 9 and later tag the activity
    // with the port; on .NET 8 the collection runs alone, so any HTTP client activity is this test's.
    static Activity[] HttpClientActivities(IEnumerable<Activity> started, LogTraceTestServer server) =>
        started.Where(a => a.Source.Name == HttpClientSource || a.OperationName == HttpClientActivity)
            .Where(a => a.GetTagItem("server.port") is not int port || port == server.BaseUri.Port)
            .ToArray();

    static bool IsOurs(Uri? uri, LogTraceTestServer server) => uri != null && uri.Port == server.BaseUri.Port;

    // The events' payloads are anonymous types (or internal ones) with a Request property.
    static Uri? RequestUri(object? payload) =>
        (payload?.GetType().GetProperty("Request")?.GetValue(payload) as HttpRequestMessage)?.RequestUri;

    static string Describe(IEnumerable<Activity> activities) =>
        string.Join(", ", activities.Select(a => a.Source.Name + "/" + a.OperationName));

    sealed class Observer<T>(Action<T> onNext) : IObserver<T>
    {
        public void OnNext(T value) => onNext(value);
        public void OnError(Exception error) { }
        public void OnCompleted() { }
    }
}

// Activity and diagnostic listeners are process-wide: these tests run alone, so no other test's requests are counted.
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TracingCollection
{
    public const string Name = "Tracing";
}
#endif
