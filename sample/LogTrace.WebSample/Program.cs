using LogTrace.Collector;
using LogTrace.Samples;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Serilog;
using Serilog.Debugging;
using Serilog.Sinks.LogTrace;
using System.Security.Claims;
using System.Text.Json;

// dotnet run --project sample/LogTrace.WebSample -- --demo
//
// Serilog (the LogTrace sink and its request-context enricher) is configured only in appsettings.json. The API key and
// endpoint are not there: the sink reads LOGTRACE_API_KEY and LOGTRACE_ENDPOINT. When LOGTRACE_API_KEY is not set, this
// program starts a local LogTrace-compatible collector and points those two variables at it, so no account is needed.
//
// --demo: start on a free port, call the app's own endpoints (the five events from the LogTrace docs, one of them in
// a request that fails with 500), shut down (which flushes the sink), print what the collector received, and exit 0
// only if the five events arrived with the expected users and status codes.

var demo = args.Contains("--demo");
SelfLog.Enable(Console.Error);

RunningCollector? collector = null;
if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("LOGTRACE_API_KEY")))
{
    const string localKey = "lg_00000000000000000000000000000000";
    collector = await LogTraceCollector.StartAsync(new CollectorOptions { ApiKeys = { localKey } },
        demo ? "http://127.0.0.1:0" : "http://127.0.0.1:5091");   // not 5080: the standalone collector's
    Environment.SetEnvironmentVariable("LOGTRACE_API_KEY", localKey);
    Environment.SetEnvironmentVariable("LOGTRACE_ENDPOINT", collector.DevelopersEndpoint);
    Console.WriteLine(demo
        ? "LOGTRACE_API_KEY is not set: events go to a local collector, for the demo's length."
        : $"LOGTRACE_API_KEY is not set: events go to a local collector, {collector.BaseUri} shows them.");
}

var builder = WebApplication.CreateBuilder(args.Where(a => a != "--demo").ToArray());
if (demo)
    builder.WebHost.UseUrls("http://127.0.0.1:0");

builder.Services.AddSerilog((services, lc) => lc.ReadFrom.Configuration(builder.Configuration));
builder.Services.AddLogTraceHttpContext(builder.Configuration.GetSection("LogTrace:HttpContext"));
builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(options =>
{
    // An API: answer 401/403 instead of redirecting to a login page.
    options.Events.OnRedirectToLogin = context => { context.Response.StatusCode = 401; return Task.CompletedTask; };
    options.Events.OnRedirectToAccessDenied = context => { context.Response.StatusCode = 403; return Task.CompletedTask; };
});
builder.Services.AddAuthorization();
// GET /health: the LogTrace sink's health (Serilog.Sinks.LogTrace.HealthChecks), found with no other wiring.
builder.Services.AddHealthChecks().AddLogTrace();

var app = builder.Build();
app.UseLogTraceHttpContext();   // first: it records the status code each response finished with
app.UseAuthentication();
app.UseAuthorization();

app.MapPost("/login", async (HttpContext context, string user, ILogger<WebSample> logger) =>
{
    var principal = new ClaimsPrincipal(new ClaimsIdentity(new[]
    {
        new Claim(ClaimTypes.NameIdentifier, "u-" + user),
        new Claim(ClaimTypes.Name, user),
    }, CookieAuthenticationDefaults.AuthenticationScheme));
    await context.SignInAsync(principal);
    // Not signed in yet for this request: the user is named on the event itself. The string form, which always works;
    // the other records are typed (WebRecords.cs).
    Log.ForContext(LogTraceProperties.EventName, "user.login")
       .ForContext(LogTraceProperties.UserId, "u-" + user)
       .ForContext(LogTraceProperties.UserName, user)
       .ForContext(LogTraceProperties.EventType, "security")
       .Information("User {User} signed in", user);
    // The session that sign-in started (POST /sessions), signed out again by /logout with the same token.
    Log.Logger.SessionStarted("sess-" + user, "u-" + user, user, user);
    return Results.Ok();
});

app.MapPost("/invoices", (ILogger<WebSample> logger) =>
{
    // From ILogger<T>: the user, request and final status code (201) come from the request.
    logger.InvoiceCreated("INV-2026-0042", 129.90m, "EUR");
    return Results.Created("/invoices/INV-2026-0042", new { id = "INV-2026-0042" });
}).RequireAuthorization();

app.MapPost("/password-reset", (string email) =>
{
    Log.Logger.PasswordReset(email, "security");
    return Results.Accepted();
});

app.MapDelete("/api-keys/{keyId}", async (string keyId) =>
{
    // Work started from the request keeps the request's context.
    await Task.Run(() => Log.Logger.ApiKeyRevoked("security", keyId));
    return Results.NoContent();
}).RequireAuthorization();

app.MapDelete("/invoices/{invoiceId}", (string invoiceId, ILogger<WebSample> logger) =>
{
    // An audit log: the message is its description, the before state a JSON object in its metadata; the user and the
    // request come from the request, as for events.
    logger.InvoiceDeleted(invoiceId, new { Total = 129.90m, Status = "sent" });
    return Results.NoContent();
}).RequireAuthorization();

app.MapPost("/logout", async (HttpContext context, ILogger<WebSample> logger) =>
{
    // A session record: the sign-out of the session the token names (POST /sessions/logout).
    logger.SessionEnded("sess-" + context.User.Identity!.Name);
    await context.SignOutAsync();
    return Results.Ok();
}).RequireAuthorization();

app.MapPost("/exports", (ILogger<WebSample> logger) =>
{
    logger.ExportRequested(1200);
    throw new InvalidOperationException("The export service is unavailable");
}).RequireAuthorization();

// The check's description and figures in the body, not only its status.
app.MapHealthChecks("/health", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions
{
    ResponseWriter = (context, report) =>
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(report.Entries.ToDictionary(e => e.Key, e => new
        {
            status = e.Value.Status.ToString(),
            description = e.Value.Description,
            data = e.Value.Data,
        })));
    },
});

if (!demo)
{
    await app.RunAsync();
    return 0;
}

await app.StartAsync();
string? healthBefore = null, healthAfter = null;
var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
using (var client = new HttpClient(new HttpClientHandler { UseCookies = true }) { BaseAddress = new Uri(address) })
{
    client.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15");
    client.DefaultRequestHeaders.Add("Authorization", "Bearer not-a-real-token-but-never-sent");
    async Task Call(HttpMethod method, string path)
    {
        using var response = await client.SendAsync(new HttpRequestMessage(method, path));
        Console.WriteLine($"{method,-6} {path,-40} -> {(int)response.StatusCode}");
    }

    async Task<string> Health(string when)
    {
        using var response = await client.GetAsync("/health");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var check = json.RootElement.GetProperty("logtrace");
        var status = check.GetProperty("status").GetString()!;
        Console.WriteLine($"GET    /health ({when})".PadRight(48) + $"-> {(int)response.StatusCode} {status}: {check.GetProperty("description").GetString()}");
        return status;
    }

    healthBefore = await Health("before");
    await Call(HttpMethod.Post, "/login?user=jane_doe");
    await Call(HttpMethod.Post, "/invoices");
    await Call(HttpMethod.Post, "/password-reset?email=sam@example.com");
    await Call(HttpMethod.Delete, "/api-keys/key_8f3a");
    await Call(HttpMethod.Post, "/exports");
    await Call(HttpMethod.Delete, "/invoices/INV-2026-0042");
    await Call(HttpMethod.Post, "/logout");
    // Every record delivered, then the health again.
    var deliveredBy = DateTime.UtcNow + TimeSpan.FromSeconds(20);
    while (LogTraceStatus.GetSinks().Sum(s => s.Sent) < 8 && DateTime.UtcNow < deliveredBy)
        await Task.Delay(50);
    healthAfter = await Health("after");
    Console.WriteLine(await DeliveryReport.WhenSentAsync(TimeSpan.FromSeconds(5)));
}

// Stopping the host disposes the logger, which delivers what is queued (within shutdownTimeout).
await app.StopAsync();
await app.DisposeAsync();

if (collector == null)
    return 0;

await using (collector)
{
    var events = collector.Store.Events;
    Console.WriteLine();
    Console.WriteLine($"The local collector received {events.Count} events:");
    Console.WriteLine($"{"name",-17} {"user",-24} {"status",-6} {"request",-28} {"duration",-10} {"os",-6} {"headers"}");
    var failures = new List<string>();
    var expected = new Dictionary<string, (string User, int Status)>
    {
        ["user.login"] = ("u-jane_doe / jane_doe", 200),
        ["invoice.created"] = ("u-jane_doe / jane_doe", 201),
        ["password.reset"] = ("sam@example.com", 202),
        ["api_key.revoked"] = ("u-jane_doe / jane_doe", 204),
        ["export.requested"] = ("u-jane_doe / jane_doe", 500),
    };
    foreach (var e in events)
    {
        var body = e.Body!.Value;
        var details = body.GetProperty("request_details");
        string Text(JsonElement element, string name) => element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
        var name = Text(body, "name");
        var user = string.Join(" / ", new[] { Text(body, "user_id"), Text(body, "username") }.Where(s => s.Length > 0));
        var status = details.TryGetProperty("http_status_code", out var s) ? s.GetInt32() : 0;
        var headers = details.TryGetProperty("request_headers", out var h) ? h.EnumerateObject().Count() + " (Authorization " + Text(h, "Authorization") + ")" : "";
        Console.WriteLine($"{name,-17} {user,-24} {status,-6} {Text(details, "http_method") + " " + Text(details, "http_endpoint"),-28} {Text(details, "request_duration"),-10} {Text(details, "operating_system"),-6} {headers}");

        if (!expected.Remove(name, out var want))
            failures.Add("unexpected event " + name);
        else if (want.User != user || want.Status != status)
            failures.Add($"{name}: expected {want.User} with {want.Status}, got {user} with {status}");
    }
    failures.AddRange(expected.Keys.Select(n => "missing event " + n));

    var audit = collector.Store.AuditLogs;
    foreach (var a in audit)
    {
        var body = a.Body!.Value;
        Console.WriteLine($"audit log {body.GetProperty("name").GetString()} by {body.GetProperty("username").GetString()}: " +
            $"{body.GetProperty("description").GetString()} ({body.GetProperty("request_details").GetProperty("http_status_code").GetInt32()})");
    }
    if (audit.Count != 1 || audit[0].Body!.Value.GetProperty("username").GetString() != "jane_doe")
        failures.Add("expected one audit log by jane_doe, got " + audit.Count);
    var sessions = collector.Store.Sessions;
    foreach (var session in sessions)
    {
        var body = session.Body!.Value;
        Console.WriteLine(session.Kind == "session"
            ? $"session {body.GetProperty("status").GetString()} for {body.GetProperty("username").GetString()}, login_at {body.GetProperty("login_at").GetString()}"
            : "session signed out (POST /sessions/logout)");
    }
    if (sessions.Count != 2 || sessions.Count(s => s.Kind == "session") != 1 || sessions.Count(s => s.Kind == "session-logout") != 1)
        failures.Add("expected one session's sign-in and sign-out, got " + sessions.Count + " session records");
    if (collector.Store.Requests.Any(r => r.Status != 202))
        failures.Add("some requests were refused: " + string.Join(", ", collector.Store.Requests.Where(r => r.Status != 202).Select(r => r.Kind + " " + r.Status)));

    if (healthBefore != "Healthy" || healthAfter != "Healthy")
        failures.Add($"expected /health to be Healthy before and after the calls, got {healthBefore} and {healthAfter}");

    if (failures.Count > 0)
    {
        Console.Error.WriteLine("Demo failed: " + string.Join("; ", failures));
        return 1;
    }

    // The typed records this program declares, as the generator lists them.
    foreach (var record in LogTrace.WebSample.LogTraceRecordCatalog.Records)
        Console.WriteLine("typed record: " + record);
    Console.WriteLine("All five events, the audit log and the session (its sign-in and sign-out) arrived, with their request's user, final status code, duration and redacted headers.");
    return 0;
}

// The ILogger<T> category of the sample's endpoints.
sealed class WebSample
{
}
