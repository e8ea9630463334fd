using System.Globalization;
using System.Runtime.CompilerServices;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LogTrace.Collector;

/// <summary>
/// A local implementation of the LogTrace ingestion API as the service really behaves (docs/logtrace-api.md):
/// the /v1/developers routes, X-API-Key with the Authorization fallback, 415, the exact validation messages, 202,
/// the per-IP sliding-window rate limit with its headers, and the X-Request-Id echo. It keeps what it receives in
/// memory and shows it as JSON (/_collector/events, /_collector/audit-logs, /_collector/sessions, /_collector/records)
/// and as HTML tables (/).
/// </summary>
public static partial class LogTraceCollector
{
    public const string DevelopersPath = "/v1/developers";

    static readonly JsonSerializerOptions ListingJson = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Starts a collector in this process, on a free port of 127.0.0.1 unless another URL is given.</summary>
    public static async Task<RunningCollector> StartAsync(CollectorOptions? options = null, string url = "http://127.0.0.1:0")
    {
        options ??= new CollectorOptions();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(url);
        var app = builder.Build();
        var store = Map(app, options);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningCollector(app, new Uri(address), store);
    }

    /// <summary>Adds the collector's routes and pages to an application.</summary>
    public static CollectorStore Map(WebApplication app, CollectorOptions options)
    {
        var store = new CollectorStore();
        var limiter = new SlidingWindowRateLimiter(options);
        var recordRequests = new StrongBox<int>(0);

        app.Use(async (context, next) =>
        {
            // The service reuses an incoming X-Request-Id and echoes it as X-Request-ID on every answer.
            var requestId = context.Request.Headers["X-Request-Id"].ToString();
            if (string.IsNullOrEmpty(requestId))
                requestId = Guid.NewGuid().ToString();
            context.Items["RequestId"] = requestId;
            context.Response.Headers["X-Request-ID"] = requestId;
            await next(context);
        });

        app.MapGet("/", (HttpContext context) => Results.Content(CollectorPage.Render(store), "text/html; charset=utf-8"));
        app.MapGet("/_collector/events", () => Results.Json(store.Events, ListingJson));
        app.MapGet("/_collector/audit-logs", () => Results.Json(store.AuditLogs, ListingJson));
        app.MapGet("/_collector/sessions", () => Results.Json(store.Sessions, ListingJson));
        app.MapGet("/_collector/records", () => Results.Json(store.Records, ListingJson));
        app.MapGet("/_collector/requests", () => Results.Json(store.Requests, ListingJson));
        app.MapDelete("/_collector/events", () =>
        {
            store.Clear();
            return Results.NoContent();
        });

        app.Map("/v1/{**rest}", async context =>
        {
            var path = context.Request.Path.Value ?? "";
            var kind = KindOf(path);
            var clientIp = ClientIp(context);

            // The limiter runs before authentication, for every route.
            if (options.RateLimitEnabled)
            {
                var decision = limiter.Check(clientIp);
                var headers = context.Response.Headers;
                headers["X-RateLimit-Limit"] = decision.Limit.ToString(CultureInfo.InvariantCulture);
                headers["X-RateLimit-Remaining"] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
                headers["X-RateLimit-Reset"] = decision.Reset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
                if (!decision.Allowed)
                {
                    headers["Retry-After"] = ((int)Math.Ceiling(options.RateLimitWindow.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                    await Answer(context, options, store, kind, clientIp, 429, "Too Many Requests", null, null, plainText: true);
                    return;
                }
            }

            if (!HttpMethods.IsPost(context.Request.Method))
            {
                await Answer(context, options, store, kind, clientIp, 405, "method not allowed", null, null);
                return;
            }

            // The routes without /developers take only a dashboard session token; an API key gets 401 there.
            if (kind == null)
            {
                await Answer(context, options, store, "other", clientIp, 401, "invalid or expired session token", null, null);
                return;
            }

            var authenticatedBy = Authenticate(context.Request, options, out var authMessage);
            if (authenticatedBy == null)
            {
                await Answer(context, options, store, kind, clientIp, 401, authMessage, null, null);
                return;
            }

            if (!IsJson(context.Request.ContentType))
            {
                await Answer(context, options, store, kind, clientIp, 415, null, authenticatedBy, null);
                return;
            }

            JsonElement body;
            try
            {
                using var document = await JsonDocument.ParseAsync(context.Request.Body);
                body = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                await Answer(context, options, store, kind, clientIp, 400, "failed to validate payload", authenticatedBy, null);
                return;
            }

            // Every record route, in arrival order: one schedule for all, as a test of shared delivery needs.
            var fault = NextFault(options, body, recordRequests);
            if (fault != null && await InjectFaultAsync(context, options, store, kind, clientIp, authenticatedBy, body, fault))
                return;

            var (status, message) = kind switch
            {
                "event" => ValidateEvent(body),
                "session" => ValidateSession(body),
                "session-logout" => ValidateLogout(body),
                _ => ValidateAuditLog(body),
            };
            await Answer(context, options, store, kind, clientIp, status, message, authenticatedBy, body);
        });

        return store;
    }

    static string? NextFault(CollectorOptions options, JsonElement body, StrongBox<int> recordRequests)
    {
        if (options.RejectEventNames.Count > 0 && Text(body, "name") is { } name && options.RejectEventNames.Contains(name, StringComparer.Ordinal))
            return "400";
        var index = Interlocked.Increment(ref recordRequests.Value) - 1;
        return index < options.FaultSchedule.Count ? options.FaultSchedule[index].Trim() : null;
    }

    // Answers with the fault and returns true, or returns false for "ok" (answer normally).
    static async Task<bool> InjectFaultAsync(HttpContext context, CollectorOptions options, CollectorStore store, string kind, string clientIp,
        string? authenticatedBy, JsonElement body, string fault)
    {
        switch (fault.ToLowerInvariant())
        {
            case "" or "ok":
                return false;
            case "abort":
                store.Add(Record(context, options, kind, clientIp, 0, "connection aborted by fault injection", authenticatedBy, body));
                context.Abort();
                return true;
            case "stall":
                store.Add(Record(context, options, kind, clientIp, 0, "stalled by fault injection", authenticatedBy, body));
                await StallAsync(context);
                return true;
            case "stall-after-store":
                store.Add(Record(context, options, kind, clientIp, 202, Accepted(kind) + " (then stalled by fault injection)", authenticatedBy, body));
                await StallAsync(context);
                return true;
            case "stall-body":
                // An error answer whose body starts and never finishes: the client must give up on its own.
                store.Add(Record(context, options, kind, clientIp, 500, "error answer with a stalled body (fault injection)", authenticatedBy, body));
                context.Response.StatusCode = 500;
                context.Response.ContentType = "application/json";
                context.Response.ContentLength = 100_000;
                await context.Response.Body.WriteAsync("{\"message\": \"fail"u8.ToArray());
                await context.Response.Body.FlushAsync();
                await StallAsync(context);
                return true;
        }

        var redirect = fault.IndexOf('>');
        if (redirect > 0)
        {
            // STATUS>LOCATION: a redirect, as a service that moved (or an http:// endpoint sent to https://) answers.
            store.Add(Record(context, options, kind, clientIp, int.Parse(fault.Substring(0, redirect), CultureInfo.InvariantCulture),
                "redirect by fault injection", authenticatedBy, body));
            context.Response.StatusCode = int.Parse(fault.Substring(0, redirect), CultureInfo.InvariantCulture);
            context.Response.Headers.Location = fault.Substring(redirect + 1);
            return true;
        }

        var parts = fault.Split(':');
        if (!int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var status))
            throw new InvalidOperationException("Unknown collector fault '" + fault + "'.");
        if (parts.Length > 1)
            context.Response.Headers["Retry-After"] = parts[1];
        else if (status == 429)
            context.Response.Headers["Retry-After"] = ((int)Math.Ceiling(options.RateLimitWindow.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

        var message = status switch
        {
            400 => "failed to validate payload",
            401 => "API key not found",
            429 => "Too Many Requests",
            500 => "failed to enqueue " + (kind == "audit-log" ? "audit log" : kind == "event" ? "event" : "session"),
            _ => "fault injected by the collector",
        };
        await Answer(context, options, store, kind, clientIp, status, message, authenticatedBy, body, plainText: status == 429);
        return true;
    }

    static async Task StallAsync(HttpContext context)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The client gave up, as intended.
        }
    }

    static string? KindOf(string path) => path.TrimEnd('/') switch
    {
        DevelopersPath + "/events" => "event",
        DevelopersPath + "/sessions" => "session",
        DevelopersPath + "/sessions/logout" => "session-logout",
        DevelopersPath + "/audit-logs" => "audit-log",
        _ => null,
    };

    // The service keys its limiter on the first X-Forwarded-For entry, else the socket address.
    static string ClientIp(HttpContext context)
    {
        var forwarded = context.Request.Headers["X-Forwarded-For"].ToString();
        if (!string.IsNullOrWhiteSpace(forwarded))
            return forwarded.Split(',')[0].Trim();
        return context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
    }

    static string? Authenticate(HttpRequest request, CollectorOptions options, out string message)
    {
        var key = request.Headers["X-API-Key"].ToString();
        var via = "X-API-Key";
        if (string.IsNullOrEmpty(key))
        {
            // Fallback only when X-API-Key is empty: "<scheme> <key>", exactly two space-separated parts.
            var parts = request.Headers.Authorization.ToString().Split(' ');
            key = parts.Length == 2 ? parts[1] : "";
            via = "Authorization";
        }

        if (string.IsNullOrEmpty(key))
        {
            message = "please provide an API key in the request header";
            return null;
        }

        if (options.ApiKeys.Count > 0 && !options.ApiKeys.Contains(key, StringComparer.Ordinal))
        {
            message = "API key not found";
            return null;
        }

        message = "";
        return via;
    }

    static bool IsJson(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
            return false;
        var mediaType = contentType.Split(';')[0].Trim();
        return string.Equals(mediaType, "application/json", StringComparison.OrdinalIgnoreCase);
    }

    public static (int Status, string Message) ValidateEvent(JsonElement body) =>
        ValidateNamedRecord(body, EventStringFields, "event name is required", Accepted("event"));

    // The service's 202 message for each kind.
    static string Accepted(string kind) => kind switch
    {
        "audit-log" => "Audit log accepted for processing",
        "session" => "Session accepted for processing",
        "session-logout" => "Session logout accepted for processing",
        _ => "Event accepted for processing",
    };

    /// <summary>The service's rules for a session: a typed body, an RFC 3339 <c>login_at</c>, one of the four lower-case
    /// statuses (<c>succesful</c> in the service's spelling) and a user.</summary>
    public static (int Status, string Message) ValidateSession(JsonElement body)
    {
        if (!DecodesAs(body, SessionStringFields) || !RequestDetailsDecode(body))
            return (400, "failed to validate payload");
        if (!body.TryGetProperty("login_at", out var loginAt) || loginAt.ValueKind != JsonValueKind.String || !IsRfc3339(loginAt.GetString()!))
            return (400, "failed to validate payload");
        var status = Text(body, "status");
        if (status is not ("succesful" or "failed" or "expired" or "active"))
            return (400, "failed to validate request payload: invalid session status");
        if (!HasUser(body))
            return (400, UserRequired);
        return (202, Accepted("session"));
    }

    /// <summary>A sign-out: a non-empty string <c>token</c>.</summary>
    public static (int Status, string Message) ValidateLogout(JsonElement body) =>
        DecodesAs(body, new[] { "token" }) && !string.IsNullOrEmpty(Text(body, "token"))
            ? (202, Accepted("session-logout"))
            : (400, "failed to validate payload");

    /// <summary>An audit log: a typed body, a name and a user; a top-level <c>timestamp</c> is accepted and ignored.</summary>
    public static (int Status, string Message) ValidateAuditLog(JsonElement body) =>
        ValidateNamedRecord(body, AuditStringFields, "audit log name is required", Accepted("audit-log"));

    // Events and audit logs share their rules: typed decoding, a required name, a required user.
    static (int, string) ValidateNamedRecord(JsonElement body, string[] stringFields, string nameRequired, string accepted)
    {
        if (!DecodesAs(body, stringFields) || !RequestDetailsDecode(body))
            return (400, "failed to validate payload");
        if (string.IsNullOrEmpty(Text(body, "name")))
            return (400, "failed to validate request payload: " + nameRequired);
        if (!HasUser(body))
            return (400, UserRequired);
        return (202, accepted);
    }

    static readonly string[] EventStringFields = { "name", "user_id", "username", "type" };
    static readonly string[] SessionStringFields = { "user_id", "username", "token", "status" };
    static readonly string[] AuditStringFields = { "name", "user_id", "username", "description", "timestamp" };
    static readonly string[] RequestDetailStringFields =
    {
        "http_method", "http_endpoint", "ip_address", "operating_system", "client_user_agent", "geo_ip_location",
        "request_duration", "request_id",
    };

    // Mirrors Go's encoding/json into typed structs: a string field takes a string or null, an int field a JSON
    // integer, a map[string]string only string (or null) values. Anything else fails the whole body.
    static bool DecodesAs(JsonElement body, string[] stringFields)
    {
        if (body.ValueKind != JsonValueKind.Object)
            return false;
        foreach (var field in stringFields)
        {
            if (body.TryGetProperty(field, out var value) && value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                return false;
        }
        return true;
    }

    static bool RequestDetailsDecode(JsonElement body)
    {
        if (!body.TryGetProperty("request_details", out var details) || details.ValueKind == JsonValueKind.Null)
            return true;
        if (!DecodesAs(details, RequestDetailStringFields))
            return false;

        if (details.TryGetProperty("timestamp", out var timestamp) && timestamp.ValueKind != JsonValueKind.Null &&
            (timestamp.ValueKind != JsonValueKind.String || !IsRfc3339(timestamp.GetString()!)))
            return false;

        if (details.TryGetProperty("http_status_code", out var status) && status.ValueKind != JsonValueKind.Null &&
            (status.ValueKind != JsonValueKind.Number || !IntegerLiteral().IsMatch(status.GetRawText()) || !status.TryGetInt64(out _)))
            return false;

        if (details.TryGetProperty("request_headers", out var headers) && headers.ValueKind != JsonValueKind.Null)
        {
            if (headers.ValueKind != JsonValueKind.Object)
                return false;
            foreach (var header in headers.EnumerateObject())
            {
                if (header.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                    return false;
            }
        }
        return true;
    }

    const string UserRequired = "failed to validate request payload: user information (username or user_id) is required";

    // The service records the user_id/username pair as a member of the organisation: one of the two is required.
    static bool HasUser(JsonElement body) =>
        !string.IsNullOrEmpty(Text(body, "user_id")) || !string.IsNullOrEmpty(Text(body, "username"));

    static string? Text(JsonElement body, string field) =>
        body.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    // Go's time.Time decodes RFC 3339 only; "" fails, which is why an empty timestamp fails the whole body.
    internal static bool IsRfc3339(string value) =>
        Rfc3339().IsMatch(value) && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339();

    [GeneratedRegex(@"^-?\d+$")]
    private static partial Regex IntegerLiteral();

    static CollectorRequest Record(HttpContext context, CollectorOptions options, string? kind, string clientIp, int status, string? message,
        string? authenticatedBy, JsonElement? body) =>
        new(
            kind ?? "other",
            context.Request.Path.Value ?? "",
            status,
            message,
            options.TimeProvider.GetUtcNow(),
            (string)context.Items["RequestId"]!,
            clientIp,
            context.Request.ContentType,
            context.Request.Headers.UserAgent.ToString(),
            authenticatedBy,
            body);

    static async Task Answer(HttpContext context, CollectorOptions options, CollectorStore store, string? kind, string clientIp, int status, string? message,
        string? authenticatedBy, JsonElement? body, bool plainText = false)
    {
        store.Add(Record(context, options, kind, clientIp, status, message, authenticatedBy, body));

        context.Response.StatusCode = status;
        if (message == null)
            return; // 415: empty body
        if (plainText)
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(message);
            return;
        }
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, string> { ["message"] = message }));
    }
}

/// <summary>A collector started in this process; dispose to stop it.</summary>
public sealed class RunningCollector : IAsyncDisposable
{
    readonly WebApplication _app;

    internal RunningCollector(WebApplication app, Uri baseUri, CollectorStore store)
    {
        _app = app;
        BaseUri = baseUri;
        Store = store;
    }

    public Uri BaseUri { get; }

    /// <summary>The base URL to configure the sink with.</summary>
    public string DevelopersEndpoint => BaseUri.ToString().TrimEnd('/') + LogTraceCollector.DevelopersPath;

    public CollectorStore Store { get; }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
