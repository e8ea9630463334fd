using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Serilog.Sinks.LogTrace.Testing.Internal;

// The page (/) and the JSON under /_collector/: the listings, as received, and the page's feed, where session tokens
// are masked. The API key is never kept, so it appears in neither.
internal static class PageRoutes
{
    // RequestDelegate handlers, not Delegate ones: minimal APIs bind a Delegate's parameters by reflection, which trimmed
    // and NativeAOT applications cannot use (docs/aot-and-trimming.md).
    public static void Map(WebApplication app, RequestStore store)
    {
        app.MapGet("/", Local(context => Results.Content(PageHtml.Text, "text/html; charset=utf-8").ExecuteAsync(context)));
        app.MapGet("/_collector/page.js", Local(context => Results.Content(PageScript.Text, "text/javascript; charset=utf-8").ExecuteAsync(context)));
        app.MapGet("/_collector/page.css", Local(context => Results.Content(PageStyle.Text, "text/css; charset=utf-8").ExecuteAsync(context)));
        app.MapGet("/_collector/feed", Local(context => Json(Feed(context, store), PageJson.Default.DictionaryStringObject).ExecuteAsync(context)));

        app.MapGet("/_collector/events", Local(context => Listing(store.Accepted(LogTraceRecordKind.Event)).ExecuteAsync(context)));
        app.MapGet("/_collector/audit-logs", Local(context => Listing(store.Accepted(LogTraceRecordKind.AuditLog)).ExecuteAsync(context)));
        app.MapGet("/_collector/sessions", Local(context => Listing(store.Accepted(LogTraceRecordKind.Session, LogTraceRecordKind.SignOut)).ExecuteAsync(context)));
        app.MapGet("/_collector/records", Local(context => Listing(store.Requests.Where(r => r.Accepted).ToArray()).ExecuteAsync(context)));
        app.MapGet("/_collector/requests", Local(context => Listing(store.Requests).ExecuteAsync(context)));
        app.MapDelete("/_collector/events", Local(context => Clear(store).ExecuteAsync(context)));
        app.MapDelete("/_collector/requests", Local(context => Clear(store).ExecuteAsync(context)));
    }

    // What was received (user ids, names, IP addresses, metadata) is shown and cleared only to a request addressed to
    // localhost or an IP address. A web page the developer visits can point a name of its own at 127.0.0.1 (DNS
    // rebinding) and then read this port as its own origin; its requests carry that name as their Host, so they are
    // refused here. The record routes stay open to any name: a sink in a container may address the collector by its
    // service name, and what they take is only kept.
    static RequestDelegate Local(RequestDelegate handler) => context =>
    {
        var host = context.Request.Host.Host;
        if (IsLocalName(host))
            return handler(context);
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync("This page and its listings answer only to localhost or an IP address, not to '" + host +
            "': a name another site points at this machine could read what was received. Open http://127.0.0.1:" +
            context.Connection.LocalPort.ToString(CultureInfo.InvariantCulture) + "/ instead.");
    };

    internal static bool IsLocalName(string host) =>
        host.Length == 0 || host.TrimEnd('.') is var name && (name.Equals("localhost", StringComparison.OrdinalIgnoreCase) ||
        name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)) || IPAddress.TryParse(host.Trim('[', ']'), out _);

    static IResult Clear(RequestStore store)
    {
        store.Clear();
        return Results.NoContent();
    }

    static IResult Listing(IReadOnlyList<LogTraceRequest> requests) => Json(requests.Select(r => new Dictionary<string, object?>
    {
        ["kind"] = r.KindName,
        ["method"] = r.Method,
        ["path"] = r.Path,
        ["status"] = r.Status,
        ["message"] = r.Message,
        ["received_at"] = r.ReceivedAt,
        ["request_id"] = r.RequestId,
        ["client_ip"] = r.ClientIp,
        ["content_type"] = r.ContentType,
        ["user_agent"] = r.UserAgent,
        ["authenticated_by"] = r.AuthenticatedBy,
        ["body"] = r.Body,
    }).ToArray(), PageJson.Default.DictionaryStringObjectArray);

    // The generated type information does not carry the values' nullability (object, not object?): the untyped overload.
    static IResult Json(object value, JsonTypeInfo typeInfo) => Results.Json(value, typeInfo, "application/json; charset=utf-8");

    // What the page polls: the requests after the last one it has, the epoch that a clear bumps, and the id of the
    // oldest request still kept (0 when none is), below which the page lets its entries go as the server has.
    internal static Dictionary<string, object?> Feed(HttpContext context, RequestStore store)
    {
        long.TryParse(context.Request.Query["after"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var after);
        var (epoch, dropped, requests) = store.Snapshot();
        return new Dictionary<string, object?>
        {
            ["epoch"] = epoch,
            ["dropped"] = dropped,
            ["oldest"] = requests.Count > 0 ? requests[0].Id : 0L,
            ["endpoint"] = "http://" + context.Request.Host + ServiceRoutes.DevelopersPath,
            ["entries"] = requests.Where(r => r.Id > after).Select(Entry).ToArray(),
        };
    }

    internal static Dictionary<string, object?> Entry(LogTraceRequest r) => new()
    {
        ["id"] = r.Id,
        ["kind"] = r.KindName,
        ["name"] = r.Kind == LogTraceRecordKind.SignOut ? "sign-out" : r.Body is { } body && r.Kind is { } kind
            ? ServiceValidation.Text(body, kind == LogTraceRecordKind.Session ? "status" : "name")
            : null,
        ["user"] = User(r.Body),
        ["accepted"] = r.Accepted,
        ["status"] = r.Status,
        ["message"] = r.Message,
        ["method"] = r.Method,
        ["path"] = r.Path,
        ["received_at"] = r.ReceivedAt,
        ["request_id"] = r.RequestId,
        ["client_ip"] = r.ClientIp,
        ["headers"] = r.Headers.Select(h => new[] { h.Key, h.Value }).ToArray(),
        ["body"] = r.Body is { } json ? MaskTokens(json) : null,
        ["body_text"] = r.Body == null ? r.BodyText : null,
    };

    static string? User(JsonElement? body)
    {
        if (body is not { } json)
            return null;
        var parts = new[] { ServiceValidation.Text(json, "user_id"), ServiceValidation.Text(json, "username") }
            .Where(s => !string.IsNullOrEmpty(s)).ToArray();
        return parts.Length == 0 ? null : string.Join(" / ", parts);
    }

    // A session token is a secret: the page shows only its first characters.
    static JsonNode? MaskTokens(JsonElement body)
    {
        var node = JsonNode.Parse(body.GetRawText(), documentOptions: new JsonDocumentOptions { MaxDepth = ServiceRoutes.MaxJsonDepth });
        // Every key the service would read as the token (Go matches field names ignoring case).
        if (node is JsonObject json)
        {
            foreach (var key in json.Select(p => p.Key).Where(k => string.Equals(k, "token", StringComparison.OrdinalIgnoreCase)).ToArray())
            {
                if (json[key] is JsonValue token && token.TryGetValue<string>(out var text))
                    json[key] = Mask(text);
            }
        }
        return node;
    }

    // The first four characters and an ellipsis: enough to tell sessions apart, not enough to use one. A token shorter
    // than 12 characters shows none of them: four would be most of it.
    internal static string Mask(string token) => token.Length == 0 ? "(none)" : (token.Length >= 12 ? token.Substring(0, 4) : "") + "…";
}
