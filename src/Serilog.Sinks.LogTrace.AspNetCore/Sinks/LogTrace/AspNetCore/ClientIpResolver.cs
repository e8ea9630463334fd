using System;
using System.Net;
using System.Net.Sockets;
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
                var comma = value.IndexOf(',');
                if (TryParseForwarded(comma < 0 ? value : value.Substring(0, comma), out var forwarded))
                    return Format(forwarded);
            }
        }

        // UseForwardedHeaders (with known proxies) has already put the real client here.
        return context.Connection.RemoteIpAddress is { } remote ? Format(remote) : null;
    }

    // What proxies write: a dotted-quad IPv4 address or an IPv6 address, either with a port when bracketed
    // ([2001:db8::1]:443) and IPv4 also as 203.0.113.9:8080. IPAddress.TryParse alone is too lenient for text any
    // client can send: it reads "999" as 0.0.3.231, "1.2" as 1.0.0.2 and "010.0.0.1" as octal.
    internal static bool TryParseForwarded(string text, out IPAddress address)
    {
        address = IPAddress.None;
        var candidate = text.AsSpan().Trim();
        if (candidate.Length == 0)
            return false;

        if (candidate[0] == '[')
        {
            var close = candidate.IndexOf(']');
            if (close < 0 || !IsPortOrNothing(candidate[(close + 1)..]))
                return false;
            return TryParseIPv6(candidate[1..close], out address);
        }

        var firstColon = candidate.IndexOf(':');
        if (firstColon >= 0 && candidate.LastIndexOf(':') == firstColon)
        {
            // One colon: IPv4 with a port. IPv6 has at least two.
            if (!IsPortOrNothing(candidate[firstColon..]))
                return false;
            candidate = candidate[..firstColon];
        }

        return candidate.IndexOf(':') >= 0 ? TryParseIPv6(candidate, out address) : TryParseDottedQuad(candidate, out address);
    }

    static bool TryParseIPv6(ReadOnlySpan<char> text, out IPAddress address)
    {
        address = IPAddress.None;
        // IPAddress.TryParse takes any text after a '%' as the zone ("2001:db8::1% DROP TABLE"): a zone is an
        // interface's name or number, letters, digits, '.', '-' and '_', or the entry is no address.
        var percent = text.IndexOf('%');
        if (percent >= 0 && !IsZone(text[(percent + 1)..]))
            return false;
        if (text.IndexOf(':') < 0 || !IPAddress.TryParse(text, out var parsed) || parsed.AddressFamily != AddressFamily.InterNetworkV6)
            return false;
        // A zone id names an interface of the sender's machine: meaningless here.
        parsed.ScopeId = 0;
        address = parsed;
        return true;
    }

    static bool IsZone(ReadOnlySpan<char> zone)
    {
        if (zone.IsEmpty)
            return false;
        foreach (var c in zone)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
                return false;
        }
        return true;
    }

    static bool TryParseDottedQuad(ReadOnlySpan<char> text, out IPAddress address)
    {
        address = IPAddress.None;
        Span<byte> bytes = stackalloc byte[4];
        for (var part = 0; part < 4; part++)
        {
            var end = part < 3 ? text.IndexOf('.') : text.Length;
            if (end <= 0 || end > 3 || (end > 1 && text[0] == '0'))
                return false;
            var value = 0;
            foreach (var c in text[..end])
            {
                if (c is < '0' or > '9')
                    return false;
                value = value * 10 + (c - '0');
            }
            if (value > 255)
                return false;
            bytes[part] = (byte)value;
            text = part < 3 ? text[(end + 1)..] : text[end..];
        }
        address = new IPAddress(bytes);
        return true;
    }

    // ":8080" or "" after the address.
    static bool IsPortOrNothing(ReadOnlySpan<char> rest)
    {
        if (rest.Length == 0)
            return true;
        if (rest[0] != ':' || rest.Length is < 2 or > 6)
            return false;
        foreach (var c in rest[1..])
        {
            if (c is < '0' or > '9')
                return false;
        }
        return true;
    }

    // No port, and an IPv4 client on a dual-stack socket shown as IPv4.
    internal static string Format(IPAddress address) =>
        (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
}
