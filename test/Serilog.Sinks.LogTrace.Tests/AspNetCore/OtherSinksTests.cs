using LogTrace.Collector;
using Serilog.Formatting.Compact;
using Serilog.Sinks.LogTrace.Tests.Support;
using static Serilog.Sinks.LogTrace.Tests.AspNetCore.EventJson;

namespace Serilog.Sinks.LogTrace.Tests.AspNetCore;

// A JSON console-style sink beside LogTrace in a real Kestrel app: it receives the events as the application logged
// them, and the request context only when the application asks for that (Enrich.WithLogTraceHttpContext()).
public class OtherSinksTests
{
    static readonly string[] LogTraceOnly =
    {
        "LogTraceRequestContext", "LogTraceRequestCompletion", "request in progress", LogTraceProperties.HttpEndpoint,
    };

    static readonly string[] RequestContext =
    {
        "\"" + LogTraceProperties.RequestHeaders + "\"", "\"" + LogTraceProperties.ClientIp + "\"", "\"" + LogTraceProperties.UserAgent + "\"",
        "\"" + LogTraceProperties.OperatingSystem + "\"", "\"RouteTemplate\"", "\"" + LogTraceProperties.RequestMethod + "\"",
    };

    static async Task<(string Json, CollectorRequest LogTraceEvent)> LogOneEventAsync(bool shareContext)
    {
        var json = new StringWriter();
        await using (var app = await TestWebApp.StartAsync(shareContext: shareContext,
                         alsoWriteTo: lc => lc.WriteTo.Sink(new JsonLinesSink(json))))
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/invoices");
            request.Headers.Add(TestWebApp.UserHeader, "u-9:grace");
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer very-secret-token");
            request.Headers.TryAddWithoutValidation("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) TestBrowser/1.0");
            (await app.Client.SendAsync(request)).Dispose();
            var e = Single(await app.EventsAsync(1), "invoice.created");
            lock (json)
                return (json.ToString(), e);
        }
    }

    [Fact]
    public async Task ASinkBesideLogTraceSeesNothingOfTheRequestContextUnlessAskedFor()
    {
        var (json, logTraceEvent) = await LogOneEventAsync(shareContext: false);

        // LogTrace got the request's values...
        Assert.Equal("POST", Text(Details(logTraceEvent), "http_method"));
        Assert.Equal("[REDACTED]", Text(Details(logTraceEvent).GetProperty("request_headers"), "Authorization"));
        Assert.Equal(201, Details(logTraceEvent).GetProperty("http_status_code").GetInt32());
        // ...and the JSON sink got the event as logged, with none of them.
        Assert.Contains("invoice.created", json);
        Assert.All(LogTraceOnly.Concat(RequestContext), name => Assert.DoesNotContain(name, json));
        Assert.DoesNotContain("very-secret-token", json);
        Assert.DoesNotContain("TestBrowser", json);
    }

    [Fact]
    public async Task AskedFor_TheRequestContextReachesOtherSinksWithTheSameRedactionAndNoneOfTheMachinery()
    {
        var (json, _) = await LogOneEventAsync(shareContext: true);

        var line = Assert.Single(json.Split('\n'), l => l.Contains("invoice.created"));
        Assert.All(RequestContext, name => Assert.Contains(name, line));
        Assert.Contains("TestBrowser", line);
        Assert.Contains("[REDACTED]", line);
        Assert.DoesNotContain("very-secret-token", line);
        Assert.All(LogTraceOnly, name => Assert.DoesNotContain(name, line));
    }

    // What a JSON console or file sink writes: one CLEF line per event.
    sealed class JsonLinesSink(StringWriter output) : Serilog.Core.ILogEventSink
    {
        readonly CompactJsonFormatter _formatter = new();

        public void Emit(Serilog.Events.LogEvent logEvent)
        {
            lock (output)
                _formatter.Format(logEvent, output);
        }
    }
}
