using System;

namespace Serilog.Sinks.LogTrace.Formatting;

// A record's SessionToken is sent as its token and nowhere else. The sink never copies the property into metadata
// (KnownFields), and replaces the token where the framework would repeat it: the rendered message (metadata.message,
// an audit log's description) and the exception text. A property the application adds that holds the token is the
// application's. Tokens shorter than MinimumLength are not looked for: replacing two or three characters wherever
// they stand would mangle the text, and such a token protects nothing.
static class SessionTokens
{
    internal const int MinimumLength = 8;
    const string Redacted = "[REDACTED]";

    public static bool Redacts(string? token) => token is { Length: >= MinimumLength };

    public static string Redact(string text, string? token) =>
        Redacts(token) && text.IndexOf(token!, StringComparison.Ordinal) >= 0 ? text.Replace(token!, Redacted) : text;
}
