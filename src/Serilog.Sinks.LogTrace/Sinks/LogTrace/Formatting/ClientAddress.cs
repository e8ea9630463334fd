using System;
using System.Net;
using System.Net.Sockets;

namespace Serilog.Sinks.LogTrace.Formatting;

static class ClientAddress
{
    // The service derives geolocation from ip_address and wants it without a port; IPv4-mapped IPv6 addresses
    // ("::ffff:203.0.113.42", what dual-stack sockets report) are sent as the IPv4 address they carry.
    public static string Normalize(string text)
    {
        var candidate = text.Trim();
        if (candidate.StartsWith("[", StringComparison.Ordinal))
        {
            var close = candidate.IndexOf(']');
            if (close > 0)
                candidate = candidate.Substring(1, close - 1);
        }
        else if (candidate.IndexOf(':') is var colon and > 0 && candidate.IndexOf(':', colon + 1) < 0)
        {
            candidate = candidate.Substring(0, colon);
        }

        if (!IPAddress.TryParse(candidate, out var address))
            return text;
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
            address.ScopeId = 0;
        return address.ToString();
    }
}
