using System.Net;
using System.Text.Json;
using LogTrace.Collector;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Serilog.Sinks.LogTrace.Pipeline;
using Serilog.Sinks.LogTrace.AspNetCore;
using Serilog.Sinks.LogTrace.Tests.Support;
using static Serilog.Sinks.LogTrace.Tests.AspNetCore.EventJson;

namespace Serilog.Sinks.LogTrace.Tests.AspNetCore;

// Through a real ASP.NET Core pipeline on Kestrel, into the local collector.
public class RequestContextTests
{
    [Fact]
    public async Task EveryCapturedFieldArrivesWithTheFinalStatusCode()
    {
        await using var app = await TestWebApp.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/invoices?token=secret&page=2");
        request.Headers.Add(TestWebApp.UserHeader, "u-42:bob");
        request.Headers.UserAgent.ParseAdd("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36");
        request.Headers.Add("X-Request-Id", "incoming-id");
        request.Headers.Add("Accept-Language", "en-GB");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer abc.def.ghi");
        request.Headers.TryAddWithoutValidation("Cookie", "session=xyz");
        request.Headers.Add("X-Csrf-Token", "csrf");

        using var response = await app.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        var e = Assert.Single(await app.EventsAsync(1));
        var body = e.Json();
        var details = Details(e);
        Assert.Equal("invoice.created", e.Name());
        Assert.Equal("u-42", body.GetProperty("user_id").GetString());
        Assert.Equal("bob", body.GetProperty("username").GetString());
        Assert.Equal("POST", Text(details, "http_method"));
        // Path only: the query string stays out by default.
        Assert.Equal("/invoices", Text(details, "http_endpoint"));
        Assert.Equal(201, details.GetProperty("http_status_code").GetInt32());
        Assert.Equal("127.0.0.1", Text(details, "ip_address"));
        Assert.Equal("Windows", Text(details, "operating_system"));
        Assert.StartsWith("Mozilla/5.0 (Windows NT 10.0", Text(details, "client_user_agent"));
        Assert.EndsWith("ms", Text(details, "request_duration"));
        Assert.False(string.IsNullOrEmpty(Text(details, "request_id")));
        Assert.NotEqual("incoming-id", Text(details, "request_id"));
        var headers = details.GetProperty("request_headers");
        Assert.Equal("en-GB", Text(headers, "Accept-Language"));
        Assert.Equal("[REDACTED]", Text(headers, "Authorization"));
        Assert.Equal("[REDACTED]", Text(headers, "Cookie"));
        Assert.Equal("[REDACTED]", Text(headers, "X-Csrf-Token"));
        // Kestrel spells the headers it knows its own way (X-Request-ID).
        Assert.Equal("incoming-id", headers.EnumerateObject().Single(h => h.NameEquals("X-Request-ID") || h.NameEquals("X-Request-Id")).Value.GetString());
        Assert.Equal("/invoices", body.GetProperty("metadata").GetProperty("RouteTemplate").GetString());
        Assert.DoesNotContain("abc.def.ghi", body.GetRawText());
        Assert.DoesNotContain("secret", body.GetRawText());
    }

    [Fact]
    public async Task TheStatusCodeIsTheOneTheResponseFinishedWith()
    {
        await using var app = await TestWebApp.StartAsync();

        (await app.Client.GetAsync("/invoices/INV-404")).Dispose();
        using (var throwing = await app.Client.PostAsync("/exports", null))
            Assert.Equal(HttpStatusCode.InternalServerError, throwing.StatusCode);
        (await app.Client.PostAsync("/invoices", null)).Dispose();

        var events = await app.EventsAsync(3);
        Assert.Equal(404, Details(Single(events, "invoice.viewed")).GetProperty("http_status_code").GetInt32());
        Assert.Equal(500, Details(Single(events, "export.requested")).GetProperty("http_status_code").GetInt32());
        Assert.Equal(201, Details(Single(events, "invoice.created")).GetProperty("http_status_code").GetInt32());
        Assert.Equal("/invoices/{id}", Single(events, "invoice.viewed").Json().GetProperty("metadata").GetProperty("RouteTemplate").GetString());
    }

    [Fact]
    public async Task TheDurationIsTheWholeRequestsEvenForAnEventLoggedAtItsStart()
    {
        await using var app = await TestWebApp.StartAsync();

        (await app.Client.GetAsync("/slow")).Dispose();

        var duration = Text(Details(Single(await app.EventsAsync(1), "report.viewed")), "request_duration")!;
        // The handler logs first, then waits 300 ms: the event must carry the request's duration, not the time so far.
        Assert.True(double.Parse(duration.TrimEnd('m', 's'), System.Globalization.CultureInfo.InvariantCulture) >= 300, duration);
    }

    [Fact]
    public async Task AnEventIsHeldOnlyUpToMaxEventHoldThenSentWithoutTheUnknownStatus()
    {
        await using var app = await TestWebApp.StartAsync(o => o.MaxEventHold = TimeSpan.FromMilliseconds(200));

        var pending = app.Client.GetAsync("/held");
        var e = Single(await app.EventsAsync(1), "held.event");
        Assert.False(pending.IsCompleted);
        app.Release.SetResult();
        (await pending).Dispose();

        var details = Details(e);
        Assert.False(details.TryGetProperty("http_status_code", out _));
        Assert.False(details.TryGetProperty("request_duration", out _));
        Assert.Equal("/held", Text(details, "http_endpoint"));
    }

    [Fact]
    public async Task TheQueryStringIsIncludedOnlyWhenAskedWithSensitiveValuesRedacted()
    {
        // One policy for every package and sink; a name only this test uses.
        LogTraceRedaction.SensitiveQueryParameters.Add("invite");
        await using var app = await TestWebApp.StartAsync(o => o.IncludeQueryString = true);

        (await app.Client.PostAsync("/invoices?page=2&access_token=abc&Invite=xyz&q=a%20b", null)).Dispose();

        var endpoint = Text(Details(Assert.Single(await app.EventsAsync(1))), "http_endpoint");
        Assert.Equal("/invoices?page=2&access_token=[REDACTED]&Invite=[REDACTED]&q=a%20b", endpoint);
    }

    [Fact]
    public async Task HeadersCanBeLimitedToAnAllowListCappedAndRedactedFurther()
    {
        LogTraceRedaction.SensitiveHeaders.Add("X-Internal-Secret");
        await using var app = await TestWebApp.StartAsync(o =>
        {
            o.IncludedHeaders = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "X-Tenant", "X-Long", "X-Internal-Secret", "Authorization" };
            o.MaxHeaderValueLength = 10;
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/invoices");
        request.Headers.Add("X-Tenant", "acme");
        request.Headers.Add("X-Long", new string('a', 50));
        request.Headers.Add("X-Internal-Secret", "hunter2");
        request.Headers.TryAddWithoutValidation("Authorization", "Basic dXNlcjpwYXNz");
        request.Headers.Add("Accept-Language", "en");

        (await app.Client.SendAsync(request)).Dispose();

        var headers = Details(Assert.Single(await app.EventsAsync(1))).GetProperty("request_headers");
        Assert.Equal(new[] { "Authorization", "X-Internal-Secret", "X-Long", "X-Tenant" }, headers.EnumerateObject().Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal));
        Assert.Equal("acme", Text(headers, "X-Tenant"));
        Assert.Equal("aaaaaaaaaa…[truncated]", Text(headers, "X-Long"));
        Assert.Equal("[REDACTED]", Text(headers, "X-Internal-Secret"));
        Assert.Equal("[REDACTED]", Text(headers, "Authorization"));
    }

    [Fact]
    public async Task TheRequestIdCanComeFromAnIncomingHeader()
    {
        await using var app = await TestWebApp.StartAsync(o => o.RequestIdHeader = "X-Request-Id");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/invoices");
        request.Headers.Add("X-Request-Id", "req-123");

        (await app.Client.SendAsync(request)).Dispose();
        (await app.Client.PostAsync("/invoices", null)).Dispose();

        var ids = (await app.EventsAsync(2)).Select(e => Text(Details(e), "request_id")).ToArray();
        Assert.Contains("req-123", ids);
        Assert.Single(ids, id => id != "req-123" && !string.IsNullOrEmpty(id));
    }

    // A header made sensitive after startup is not read as the request id either: its value would leave unredacted.
    [Fact]
    public async Task AHeaderMadeSensitiveAfterStartupIsNotTheRequestId()
    {
        await using var app = await TestWebApp.StartAsync(o => o.RequestIdHeader = "X-Request-Id-Secret");
        LogTraceRedaction.SensitiveHeaders.Add("X-Request-Id-Secret");
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/invoices");
            request.Headers.Add("X-Request-Id-Secret", "secret-123");

            (await app.Client.SendAsync(request)).Dispose();

            var e = Single(await app.EventsAsync(1), "invoice.created");
            Assert.False(string.IsNullOrEmpty(Text(Details(e), "request_id")));
            Assert.DoesNotContain("secret-123", e.Json().GetRawText());
        }
        finally
        {
            LogTraceRedaction.SensitiveHeaders.Remove("X-Request-Id-Secret");
        }
    }

    [Fact]
    public async Task AnExplicitUserOnTheEventWinsOverTheSignedInUser()
    {
        await using var app = await TestWebApp.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/login");
        request.Headers.Add(TestWebApp.UserHeader, "u-7:bob");

        (await app.Client.SendAsync(request)).Dispose();
        (await app.Client.GetAsync("/plain")).Dispose();

        var events = await app.EventsAsync(2);
        var login = Single(events, "user.login").Json();
        Assert.Equal("jane_doe", login.GetProperty("username").GetString());
        Assert.False(login.TryGetProperty("user_id", out _), "the principal's id must not be mixed with an explicit user");
        // Nobody signed in and no explicit user: the sink's fallback user name.
        Assert.Equal("anonymous", Single(events, "plain.event").Json().GetProperty("username").GetString());
    }

    [Fact]
    public async Task ClaimTypesAreConfigurable()
    {
        await using var app = await TestWebApp.StartAsync(o =>
        {
            o.UserIdClaimTypes.Clear();
            o.UserIdClaimTypes.Add("name");
            o.UserNameClaimTypes.Clear();
            o.UserNameClaimTypes.Add("sub");
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/invoices");
        request.Headers.Add(TestWebApp.UserHeader, "u-9:carol");

        (await app.Client.SendAsync(request)).Dispose();

        var body = Assert.Single(await app.EventsAsync(1)).Json();
        Assert.Equal("carol", body.GetProperty("user_id").GetString());
        Assert.Equal("u-9", body.GetProperty("username").GetString());
    }

    [Fact]
    public async Task ForwardingHeadersAreIgnoredByDefault()
    {
        await using var app = await TestWebApp.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/invoices");
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");
        request.Headers.Add("CF-Connecting-IP", "198.51.100.1");

        (await app.Client.SendAsync(request)).Dispose();

        Assert.Equal("127.0.0.1", Text(Details(Assert.Single(await app.EventsAsync(1))), "ip_address"));
    }

    [Fact]
    public async Task UseForwardedHeadersWithAKnownProxyGivesTheClientsAddress()
    {
        // 127.0.0.1 (the test client) is a known proxy by default in ForwardedHeadersOptions.
        await using var app = await TestWebApp.StartAsync(beforeContext: a =>
            a.UseForwardedHeaders(new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor }));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/invoices");
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");

        (await app.Client.SendAsync(request)).Dispose();

        Assert.Equal("203.0.113.9", Text(Details(Assert.Single(await app.EventsAsync(1))), "ip_address"));
    }

    [Fact]
    public async Task TheOptInFollowsTheSdksOrderOfForwardingHeaders()
    {
        await using var app = await TestWebApp.StartAsync(o => o.TrustForwardingHeaders = true);
        async Task Send(params (string, string)[] headers)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/invoices");
            foreach (var (name, value) in headers)
                request.Headers.Add(name, value);
            (await app.Client.SendAsync(request)).Dispose();
        }

        await Send(("X-Forwarded-For", "203.0.113.9, 10.0.0.1"), ("X-Real-IP", "198.51.100.2"), ("CF-Connecting-IP", "198.51.100.1"));
        await Eventually.TrueAsync(() => app.Collector.Store.Events.Count == 1, "the first event arrives");
        await Send(("X-Forwarded-For", "203.0.113.9, 10.0.0.1"), ("X-Real-IP", "198.51.100.2"));
        await Eventually.TrueAsync(() => app.Collector.Store.Events.Count == 2, "the second event arrives");
        await Send(("X-Forwarded-For", "203.0.113.9, 10.0.0.1"));
        await Eventually.TrueAsync(() => app.Collector.Store.Events.Count == 3, "the third event arrives");
        await Send(("X-Forwarded-For", "not-an-ip"));

        var ips = (await app.EventsAsync(4)).Select(e => Text(Details(e), "ip_address")).ToArray();
        Assert.Equal(new[] { "198.51.100.1", "198.51.100.2", "203.0.113.9", "127.0.0.1" }, ips);
    }

    [Fact]
    public async Task WorkStartedFromARequestKeepsItsContextAfterTheResponse()
    {
        await using var app = await TestWebApp.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/background");
        request.Headers.Add(TestWebApp.UserHeader, "u-1:dave");

        using (var response = await app.Client.SendAsync(request))
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var e = Single(await app.EventsAsync(1), "background.finished");
        Assert.Equal("dave", e.Json().GetProperty("username").GetString());
        Assert.Equal("/background", Text(Details(e), "http_endpoint"));
        Assert.Equal(202, Details(e).GetProperty("http_status_code").GetInt32());
    }

    [Fact]
    public async Task EventsOutsideAnyRequestCarryOnlyTheTimestamp()
    {
        await using var app = await TestWebApp.StartAsync();
        var logger = (Serilog.ILogger)app.Services.GetService(typeof(Serilog.ILogger))!;

        logger.ForContext(LogTraceProperties.EventName, "job.finished").Information("Nightly job finished");

        var details = Details(Assert.Single(await app.EventsAsync(1)));
        Assert.Equal(new[] { "timestamp" }, details.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task UnderConcurrencyEachEventCarriesItsOwnRequestsValues()
    {
        const int count = 60;
        await using var app = await TestWebApp.StartAsync();

        await Task.WhenAll(Enumerable.Range(0, count).Select(async n =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/echo/" + n);
            request.Headers.Add(TestWebApp.UserHeader, "id-" + n + ":user-" + n);
            request.Headers.Add("X-Marker", "m-" + n);
            using var response = await app.Client.SendAsync(request);
            response.EnsureSuccessStatusCode();
        }));

        var events = await app.EventsAsync(count);
        Assert.Equal(count, events.Count);
        foreach (var e in events)
        {
            var body = e.Json();
            var n = body.GetProperty("metadata").GetProperty("N").GetInt32();
            Assert.Equal("id-" + n, body.GetProperty("user_id").GetString());
            Assert.Equal("user-" + n, body.GetProperty("username").GetString());
            Assert.Equal("/echo/" + n, Text(Details(e), "http_endpoint"));
            Assert.Equal("m-" + n, Text(Details(e).GetProperty("request_headers"), "X-Marker"));
            Assert.Equal(200, Details(e).GetProperty("http_status_code").GetInt32());
        }
        Assert.Equal(count, events.Select(e => Text(Details(e), "request_id")).Distinct().Count());
    }

    [Fact]
    public async Task ALoggerBuiltFromTheContainerWithReadFromServicesGetsTheRequestContext()
    {
        await using var app = await TestWebApp.StartAsync(readFromServices: true);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/invoices");
        request.Headers.Add(TestWebApp.UserHeader, "u-3:erin");

        (await app.Client.SendAsync(request)).Dispose();

        var e = Assert.Single(await app.EventsAsync(1));
        Assert.Equal("erin", e.Json().GetProperty("username").GetString());
        Assert.Equal(201, Details(e).GetProperty("http_status_code").GetInt32());
        Assert.Equal("/invoices", Text(Details(e), "http_endpoint"));
    }

    [Fact]
    public async Task UsingTheMiddlewareWithoutItsRegistrationFailsAtStartupWithTheFix()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TestWebApp.StartAsync(register: false));
        Assert.Contains("AddLogTraceHttpContext()", error.Message);
    }
}

[Collection(SelfLogCollection.Name)]
public class RequestContextSelfLogTests
{
    [Fact]
    public async Task ForgettingTheMiddlewareIsReportedOnSelfLog()
    {
        using var selfLog = new SelfLogCollector();
        await using var app = await TestWebApp.StartAsync(useContext: false);

        (await app.Client.PostAsync("/invoices", null)).Dispose();
        (await app.Client.PostAsync("/invoices", null)).Dispose();

        var events = await app.EventsAsync(2);
        Assert.All(events, e => Assert.False(e.Json().GetProperty("request_details").TryGetProperty("http_method", out _)));
        Assert.Single(selfLog.Lines, l => l.Contains("UseLogTraceHttpContext()"));
    }
}
