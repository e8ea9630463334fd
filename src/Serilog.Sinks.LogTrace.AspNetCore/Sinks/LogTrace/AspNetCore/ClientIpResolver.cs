using System.Net;
using Microsoft.AspNetCore.Http;

namespace Serilog.Sinks.LogTrace.AspNetCore;

static class ClientIpResolver
{
    // The order of the official SDKs, used only when the application opts in: any client can send these headers.
    static readonly string[] ForwardingHeaders = { "CF-Connecting-IP", "X-Real-IP", "X-Forwarded-For" };

    public static string? Resolve(HttpContext context, bool trustForwardingHeaders)
    {
        if (trustForwardingHeaders)
        {
            foreach (var header in ForwardingHeaders)
            {
                var value = context.Request.Headers[header].ToString();
                if (value.Length == 0)
                    continue;
                var first = value.Split(',')[0].Trim();
                if (IPAddress.TryParse(first, out var forwarded))
                    return Format(forwarded);
            }
        }

        // UseForwardedHeaders (with known proxies) has already put the real client here.
        return context.Connection.RemoteIpAddress is { } remote ? Format(remote) : null;
    }

    // No port, and an IPv4 client on a dual-stack socket shown as IPv4.
    internal static string Format(IPAddress address) =>
        (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
}
