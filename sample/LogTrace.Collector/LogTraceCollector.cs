using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
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
