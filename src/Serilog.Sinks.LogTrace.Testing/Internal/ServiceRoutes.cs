using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Serilog.Sinks.LogTrace.Testing.Internal;

// The LogTrace ingestion API as the service really behaves (docs/logtrace-api.md): the /v1/developers routes, X-API-Key
// with the Authorization fallback, 415, the exact validation messages, 202, the per-IP sliding-window rate limit with
// its headers, and the X-Request-Id echo. Every request is recorded, unknown routes included.
internal static partial class ServiceRoutes
{
    public const string DevelopersPath = "/v1/developers";

    internal const string KnownRoutes = "POST " + DevelopersPath + "/events, " + DevelopersPath + "/audit-logs, " + DevelopersPath +
        "/sessions and " + DevelopersPath + "/sessions/logout";

    const int KeptBodyChars = 1024 * 1024;

    // The largest body taken (a larger one is answered 413 by the web server, before any route); the service has no
    // limit, and the sink sends far less (docs/collector-and-test-server.md).
    internal const long MaxBodyBytes = 64L * 1024 * 1024;

    // Go's encoding/json nests up to 10000 levels; System.Text.Json's default is 64. The listings and the feed write
    // what was parsed, so they use the same bound.
    internal const int MaxJsonDepth = 1000;

    // One request on its way through the routes.
    internal sealed class Exchange
    {
        public required HttpContext Context { get; init; }
        public required LogTraceRecordKind? Kind { get; init; }
        public required string ClientIp { get; init; }
        public required string BodyText { get; init; }
        // The body's length in bytes as received.
        public required long BodyBytes { get; init; }
        public JsonElement? Body { get; set; }
        public string? AuthenticatedBy { get; set; }
    }

    public static void Map(WebApplication app, LogTraceTestServerOptions options, RequestStore store)
    {
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

        PageRoutes.Map(app, store);

        // The limiter runs before authentication, for every request (docs/logtrace-api.md): true when it refused this one.
        async Task<bool> RefusedByLimiterAsync(Exchange exchange)
        {
            if (!options.RateLimitEnabled)
                return false;
            var decision = limiter.Check(exchange.ClientIp);
            var headers = exchange.Context.Response.Headers;
            headers["X-RateLimit-Limit"] = decision.Limit.ToString(CultureInfo.InvariantCulture);
            headers["X-RateLimit-Remaining"] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
            headers["X-RateLimit-Reset"] = decision.Reset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            if (decision.Allowed)
                return false;
            headers["Retry-After"] = ((int)Math.Ceiling(options.RateLimitWindow.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            await Answer(exchange, options, store, 429, "Too Many Requests", plainText: true);
            return true;
        }

        app.Map("/v1/{**rest}", async context =>
        {
            var path = context.Request.Path.Value ?? "";
            if (await ReadAsync(context, KindOf(path)) is not { } exchange || await RefusedByLimiterAsync(exchange))
                return;

            // A misspelt record route: the service's answer there (401 about session tokens) points the wrong way.
            if (exchange.Kind == null && IsUnder(path, DevelopersPath))
            {
                await Answer(exchange, options, store, 404, NotFound(context));
                return;
            }

            if (!HttpMethods.IsPost(context.Request.Method))
            {
                await Answer(exchange, options, store, 405, "method not allowed");
                return;
            }

            // The routes without /developers take only a dashboard session token; an API key gets 401 there.
            if (exchange.Kind == null)
            {
                await Answer(exchange, options, store, 401, "invalid or expired session token");
                return;
            }

            exchange.AuthenticatedBy = Authenticate(context.Request, options, out var authMessage);
            if (exchange.AuthenticatedBy == null)
            {
                await Answer(exchange, options, store, 401, authMessage);
                return;
            }

            // Only a body is held to its content type (docs/logtrace-api.md); an empty one fails validation below.
            if (exchange.BodyBytes > 0 && !IsJson(context.Request.ContentType))
            {
                await Answer(exchange, options, store, 415, null);
                return;
            }

            if (exchange.Body is not { } body)
            {
                await Answer(exchange, options, store, 400, "failed to validate payload");
                return;
            }

            // Every record route, in arrival order: one schedule for all, as a test of shared delivery needs.
            var fault = NextFault(options, body, recordRequests);
            if (fault != null && await InjectFaultAsync(exchange, options, store, fault))
                return;

            var (status, message) = exchange.Kind switch
            {
                LogTraceRecordKind.Event => ServiceValidation.ValidateEvent(body),
                LogTraceRecordKind.Session => ServiceValidation.ValidateSession(body),
                LogTraceRecordKind.SignOut => ServiceValidation.ValidateLogout(body),
                _ => ServiceValidation.ValidateAuditLog(body),
            };
            await Answer(exchange, options, store, status, message);
        });

        // Anything else is recorded too, so that a sink pointed at the wrong path shows on the page. (Not MapFallback:
        // it skips paths that look like file names.)
        app.Map("/{**path}", async context =>
        {
            if (context.Request.Path.StartsWithSegments("/favicon.ico"))
            {
                context.Response.StatusCode = 404; // a browser's, not the application's: not recorded
                return;
            }
            if (await ReadAsync(context, null) is not { } exchange || await RefusedByLimiterAsync(exchange))
                return;
            await Answer(exchange, options, store, 404, NotFound(context));
        });
    }

    static string NotFound(HttpContext context) =>
        "no such route: " + context.Request.Method + " " + context.Request.Path + ". The LogTrace routes are " + KnownRoutes +
        "; point the sink at http://" + context.Request.Host + DevelopersPath;

    static bool IsUnder(string path, string prefix) =>
        path.TrimEnd('/') == prefix || path.StartsWith(prefix + "/", StringComparison.Ordinal);

    // The kind's name in the collector's JSON listings and on the page.
    internal static string WireName(LogTraceRecordKind? kind) => kind switch
    {
        LogTraceRecordKind.Event => "event",
        LogTraceRecordKind.AuditLog => "audit-log",
        LogTraceRecordKind.Session => "session",
        LogTraceRecordKind.SignOut => "session-logout",
        _ => "other",
    };

    internal static LogTraceRecordKind? KindOf(string path) => path.TrimEnd('/') switch
    {
        DevelopersPath + "/events" => LogTraceRecordKind.Event,
        DevelopersPath + "/sessions" => LogTraceRecordKind.Session,
        DevelopersPath + "/sessions/logout" => LogTraceRecordKind.SignOut,
        DevelopersPath + "/audit-logs" => LogTraceRecordKind.AuditLog,
        _ => null,
    };

    // Cancelled when the server is disposed: what waits on a client (its body, a stall) ends then, the connection
    // dropped, so that disposing the server does not wait for the host's shutdown timeout.
    internal static CancellationToken ServerStopping(HttpContext context) =>
        context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;

    // The request's body read whole; null when the server stopped first (the connection is then dropped, as a stall's
    // is: a client that sends a body that never ends must not hold the server's disposal for the host's shutdown
    // timeout).
    static async Task<Exchange?> ReadAsync(HttpContext context, LogTraceRecordKind? kind)
    {
        // The service takes a body of any size; Kestrel's default stops at 30 MB, unrecorded. Up to MaxBodyBytes on the
        // server's own routes (not on a host's that maps the collector), which bounds what one request can cost this
        // process (the body, its text and its parsed copy).
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
            bodySize.MaxRequestBodySize = MaxBodyBytes;
        using var buffer = new MemoryStream();
        var stopping = ServerStopping(context);
        using (var either = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping))
        {
            try
            {
                await context.Request.Body.CopyToAsync(buffer, either.Token);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                context.Abort();
                return null;
            }
        }
        // Go's encoding/json decodes invalid UTF-8 as U+FFFD: the body is read as the service reads it, so that every
        // string in it can be read back (JsonElement.GetString throws on invalid UTF-8).
        var text = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        var bytes = Encoding.UTF8.GetBytes(LoneSurrogateEscapes.Replace(text));
        var exchange = new Exchange
        {
            Context = context,
            Kind = kind,
            ClientIp = ClientIp(context),
            BodyText = text.Length > KeptBodyChars ? text.Substring(0, KeptBodyChars) : text,
            BodyBytes = buffer.Length,
        };
        try
        {
            if (bytes.Length > 0)
            {
                using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = MaxJsonDepth });
                exchange.Body = document.RootElement.Clone();
            }
        }
        catch (JsonException)
        {
            // Not JSON: the service answers 400 on a record route; the text is kept to show.
        }
        return exchange;
    }

    static void Record(Exchange exchange, LogTraceTestServerOptions options, RequestStore store, int status, string? message)
    {
        var context = exchange.Context;
        store.Add(new LogTraceRequest(
            exchange.Kind,
            context.Request.Method,
            context.Request.Path.Value ?? "",
            status,
            message,
            options.TimeProvider.GetUtcNow(),
            (string)context.Items["RequestId"]!,
            exchange.ClientIp,
            context.Request.ContentType,
            context.Request.Headers.UserAgent.ToString(),
            exchange.AuthenticatedBy,
            MaskedHeaders(context.Request),
            exchange.BodyText,
            exchange.Body) { Size = 2L * exchange.BodyText.Length + (exchange.Body == null ? 0 : exchange.BodyBytes) });
    }

    static async Task Answer(Exchange exchange, LogTraceTestServerOptions options, RequestStore store, int status, string? message,
        bool plainText = false)
    {
        Record(exchange, options, store, status, message);

        var response = exchange.Context.Response;
        response.StatusCode = status;
        if (message == null)
            return; // 415: empty body
        if (plainText)
        {
            response.ContentType = "text/plain; charset=utf-8";
            await response.WriteAsync(message);
            return;
        }
        response.ContentType = "application/json; charset=utf-8";
        await response.WriteAsync(new JsonObject { ["message"] = message }.ToJsonString());
    }
}
