using Microsoft.AspNetCore.Http;

namespace Serilog.Sinks.LogTrace.Testing.Internal;

// What the routes read from a request before its body: the client's IP (the rate limiter's key), the API key, the
// content type, and the headers as recorded (the key masked).
internal static partial class ServiceRoutes
{
    // The service keys its limiter on the first X-Forwarded-For entry, else the socket address.
    static string ClientIp(HttpContext context)
    {
        var forwarded = context.Request.Headers["X-Forwarded-For"].ToString();
        if (!string.IsNullOrWhiteSpace(forwarded))
            return forwarded.Split(',')[0].Trim();
        return context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
    }

    static string? Authenticate(HttpRequest request, LogTraceTestServerOptions options, out string message)
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

    // The headers as received, but never the API key: X-API-Key and the Authorization credentials are masked.
    static IReadOnlyList<KeyValuePair<string, string>> MaskedHeaders(HttpRequest request) =>
        request.Headers.Select(h => new KeyValuePair<string, string>(h.Key, MaskHeader(h.Key, h.Value.ToString()))).ToArray();

    internal static string MaskHeader(string name, string value)
    {
        if (string.Equals(name, "X-API-Key", StringComparison.OrdinalIgnoreCase) || string.Equals(name, "Cookie", StringComparison.OrdinalIgnoreCase))
            return value.Length == 0 ? "" : "(masked)";
        if (string.Equals(name, "Authorization", StringComparison.OrdinalIgnoreCase))
        {
            var space = value.IndexOf(' ');
            return space > 0 ? value.Substring(0, space) + " (masked)" : value.Length == 0 ? "" : "(masked)";
        }
        return value;
    }
}
