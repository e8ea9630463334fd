using System;

namespace Serilog.Sinks.LogTrace.AspNetCore;

// The official SDKs' categories, checked in an order that keeps their overlaps apart: Android user agents contain
// "Linux", iOS ones "like Mac OS X", Chrome OS ones "X11; CrOS ... Linux".
static class OperatingSystemDetector
{
    public static string Detect(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
            return "Unknown";
        var ua = userAgent!;
        if (Has(ua, "curl"))
            return "Unknown (curl)";
        if (Has(ua, "Android"))
            return "Android";
        if (Has(ua, "iPhone") || Has(ua, "iPad") || Has(ua, "iPod"))
            return "iOS";
        if (Has(ua, "CrOS"))
            return "Chrome OS";
        if (Has(ua, "Windows"))
            return "Windows";
        if (Has(ua, "Macintosh") || Has(ua, "Mac OS X"))
            return "macOS";
        if (Has(ua, "Linux"))
            return "Linux";
        return "Unknown";
    }

    static bool Has(string ua, string token) => ua.IndexOf(token, StringComparison.OrdinalIgnoreCase) >= 0;
}
