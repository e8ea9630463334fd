using System;
using System.Net;
using System.Net.Sockets;

namespace Serilog.Sinks.LogTrace.Records;

static class ClientAddress
{
    // The service derives geolocation from ip_address and wants it without a port; IPv4-mapped IPv6 addresses
    // ("::ffff:203.0.113.42", what dual-stack sockets report) are sent as the IPv4 address they carry.
    public static string Normalize(string text)
    {
        // The usual case: four decimal parts and nothing else, already the address's own text.
        if (IsDottedQuad(text.AsSpan()))
            return text;

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

        // IPAddress.TryParse also takes "999", "0x7f.1" and "010.0.0.1" (octal) and invents an address from them:
        // IPv4 is taken only as four decimal parts, and anything else that is not IPv6 is sent as it was.
        if (!(candidate.IndexOf(':') >= 0 ? IsIPv6Text(candidate) : IsDottedQuad(candidate.AsSpan())) || !IPAddress.TryParse(candidate, out var address))
            return text;
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
            address.ScopeId = 0;
        return address.ToString();
    }

    static bool IsIPv6Text(string text)
    {
        foreach (var c in text)
        {
            if (!(c is ':' or '.' or '%' || char.IsLetterOrDigit(c)))
                return false;
        }
        return true;
    }

    static bool IsDottedQuad(ReadOnlySpan<char> text)
    {
        for (var part = 0; part < 4; part++)
        {
            var dot = text.IndexOf('.');
            if ((dot < 0) != (part == 3))
                return false;
            var digits = dot < 0 ? text : text.Slice(0, dot);
            if (digits.Length is 0 or > 3 || (digits.Length > 1 && digits[0] == '0'))
                return false;
            var value = 0;
            foreach (var c in digits)
            {
                if (c is < '0' or > '9')
                    return false;
                value = value * 10 + (c - '0');
            }
            if (value > 255)
                return false;
            if (dot >= 0)
                text = text.Slice(dot + 1);
        }
        return true;
    }
}
