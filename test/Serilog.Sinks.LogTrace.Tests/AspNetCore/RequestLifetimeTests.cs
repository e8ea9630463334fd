using System.Net;
using Microsoft.Extensions.Time.Testing;
using Serilog.Sinks.LogTrace.Tests.Support;
using static Serilog.Sinks.LogTrace.Tests.AspNetCore.EventJson;

namespace Serilog.Sinks.LogTrace.Tests.AspNetCore;

// What events logged around a request's end carry, through Kestrel into the collector.
public class RequestLifetimeTests
{
    [Fact]
    public async Task ALoopStartedInsideARequestStopsCarryingItsValuesOnceAttachAfterCompletionHasPassed()
    {
        var time = new FakeTimeProvider();
        await using var app = await TestWebApp.StartAsync(o => o.TimeProvider = time);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/worker");
        request.Headers.Add(TestWebApp.UserHeader, "u-alice:alice");
        request.Headers.Add("X-Tenant", "acme");

        (await app.Client.SendAsync(request)).Dispose();
        var inherited = app.Worker.InheritedRequest;
        Assert.NotNull(inherited);
        await inherited.Completed.WaitAsync(TimeSpan.FromSeconds(20));

        time.Advance(TimeSpan.FromSeconds(29));
        app.Worker.LogEvent("within.window");
        var within = Single(await app.EventsAsync(1), "within.window");
        Assert.Equal("u-alice", within.Json().GetProperty("user_id").GetString());
        Assert.Equal("/worker", Text(Details(within), "http_endpoint"));

        time.Advance(TimeSpan.FromSeconds(2));
        app.Worker.LogEvent("after.window");
        var after = Single(await app.EventsAsync(2), "after.window");
        Assert.False(after.Json().TryGetProperty("user_id", out _), "alice's id on an event logged after her request");
        Assert.Equal("anonymous", after.Json().GetProperty("username").GetString());
        Assert.Equal(new[] { "timestamp" }, Details(after).EnumerateObject().Select(p => p.Name));
        Assert.False(after.Json().GetProperty("metadata").TryGetProperty("RouteTemplate", out _));
    }

    [Fact]
    public async Task AnEventLoggedOnlyAfterTheResponseCarriesTheRequestHeaders()
    {
        await using var app = await TestWebApp.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/after-completion");
        request.Headers.Add(TestWebApp.UserHeader, "u-5:frank");
        request.Headers.Add("X-Tenant", "acme");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer abc.def.ghi");

        using (var response = await app.Client.SendAsync(request))
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var e = Single(await app.EventsAsync(1), "after.completion");
        Assert.Equal("frank", e.Json().GetProperty("username").GetString());
        Assert.Equal(202, Details(e).GetProperty("http_status_code").GetInt32());
        var headers = Details(e).GetProperty("request_headers");
        Assert.Equal("acme", Text(headers, "X-Tenant"));
        Assert.Equal("[REDACTED]", Text(headers, "Authorization"));
    }

    [Fact]
    public async Task AnExceptionThatEscapesBeforeTheResponseStartedIsA500EvenWhenTheServerWroteNoResponse()
    {
        await using var app = await TestWebApp.StartAsync();
        using var leave = new CancellationTokenSource();

        // The client walks away; the handler then fails. Kestrel sends nothing to a gone client and leaves the
        // response's status at 200: the request still failed with an unhandled exception.
        var pending = app.Client.GetAsync("/abandoned", leave.Token);
        await app.HandlerStarted.Task.WaitAsync(TimeSpan.FromSeconds(20));
        leave.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);

        var e = Single(await app.EventsAsync(1), "abandoned.request");
        Assert.Equal(500, Details(e).GetProperty("http_status_code").GetInt32());
    }
}
