using System.Collections.Generic;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Serilog.Sinks.LogTrace.AspNetCore;

// The values read from a live HttpContext: those fixed for the whole request, read once, and those that change while
// it runs (the principal is set by authentication, the endpoint by routing).
static class RequestValues
{
    public static Captured Capture(HttpContext context, LogTraceHttpContextOptions options)
    {
        var request = context.Request;
        var rawPath = request.Path.Value ?? "";
        var path = (request.PathBase + request.Path).ToString();
        if (path.Length == 0)
            path = "/";
        var endpoint = options.IncludeQueryString && request.QueryString.HasValue
            ? path + LogTraceRedaction.RedactQuery(request.QueryString.Value!)
            : path;

        string? requestId = null;
        // A header made sensitive after startup (OptionsValidator refuses one that already was) is not read either.
        if (options.RequestIdHeader is { Length: > 0 } header && !LogTraceRedaction.IsSensitiveHeader(header))
        {
            var incoming = request.Headers[header].ToString();
            if (!string.IsNullOrWhiteSpace(incoming))
                requestId = incoming.Trim();
        }
        requestId ??= context.TraceIdentifier;

        var userAgent = request.Headers.UserAgent.ToString();
        return new Captured(
            request.Method,
            path,
            endpoint,
            rawPath,
            requestId,
            context.TraceIdentifier,
            ClientIpResolver.Resolve(context, options.TrustForwardingHeaders),
            userAgent.Length == 0 ? null : userAgent,
            OperatingSystemDetector.Detect(userAgent));
    }

    public static (string? Id, string? Name) ReadUser(ClaimsPrincipal? user, LogTraceHttpContextOptions options)
    {
        if (user?.Identity?.IsAuthenticated != true)
            return (null, null);
        return (FirstClaim(user, options.UserIdClaimTypes), FirstClaim(user, options.UserNameClaimTypes));
    }

    static string? FirstClaim(ClaimsPrincipal user, IList<string> types)
    {
        foreach (var type in types)
        {
            var value = user.FindFirst(type)?.Value;
            if (!string.IsNullOrEmpty(value))
                return value;
        }
        return null;
    }

    public static string? ReadRoute(HttpContext context) =>
        (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText is { Length: > 0 } raw
            ? (raw[0] == '/' ? raw : "/" + raw)
            : null;
}

// Path is PathBase + Path (what ASP.NET Core's logging scope calls RequestPath); Endpoint adds the redacted query when
// it is included; RawPath is the path without its base (what Serilog's request logging calls RequestPath).
sealed record Captured(string Method, string Path, string Endpoint, string RawPath, string RequestId, string TraceIdentifier,
    string? ClientIp, string? UserAgent, string OperatingSystem);
