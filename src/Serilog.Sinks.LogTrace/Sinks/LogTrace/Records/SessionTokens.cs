using System;
using System.Collections;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using Serilog.Events;

namespace Serilog.Sinks.LogTrace.Records;

// A record's SessionToken is sent as its token and nowhere else. The sink never copies the property into metadata
// (KnownFields); the rendered message (metadata.message, an audit log's description) is rendered with the property
// replaced, however the template formats it, and the token is also replaced where the message (through another
// property) or the exception's text repeats it. A property the application adds that holds the token is the
// application's. Tokens shorter than MinimumLength are not searched for in text: replacing two or three characters
// wherever they stand would mangle it, and such a token protects nothing.
static class SessionTokens
{
    internal const int MinimumLength = 8;
    const string Redacted = LogTraceRedaction.Marker;

    public static bool Redacts(string? token) => token is { Length: >= MinimumLength };

    // The API key first (a token inside the key must not leave the rest of the key behind), then the token.
    public static string Redact(string text, string? token, TextSanitizer sanitizer)
    {
        text = sanitizer.RedactSecret(text);
        return Redacts(token) && text.IndexOf(token!, StringComparison.Ordinal) >= 0 ? text.Replace(token!, Redacted) : text;
    }

    // The token of a formatted session record (its top-level "token"); null when there is none or the body is not JSON.
    public static string? InBody(ReadOnlySpan<byte> body) => InBody(body, out _, out _);

    // The body's text with its top-level token's value, whatever its length, replaced by the marker (quoted): a short
    // token is not searched for in text (Redacts), but where it stands as the token it is known exactly. token: the
    // token found, for the caller to search the rest of its text with.
    public static string WithoutToken(ReadOnlySpan<byte> body, out string? token)
    {
        token = InBody(body, out var start, out var length);
        if (token == null)
            return Encoding.UTF8.GetString(body.ToArray());
        return Encoding.UTF8.GetString(body.Slice(0, start).ToArray()) + "\"" + Redacted + "\"" +
            Encoding.UTF8.GetString(body.Slice(start + length).ToArray());
    }

    // start, length: where the token's JSON string (its quotes included) stands in the body.
    static string? InBody(ReadOnlySpan<byte> body, out int start, out int length)
    {
        start = 0;
        length = 0;
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isToken = reader.ValueTextEquals("token"u8);
                if (!reader.Read())
                    return null;
                if (isToken)
                {
                    if (reader.TokenType != JsonTokenType.String)
                        return null;
                    start = (int)reader.TokenStartIndex;
                    length = (int)reader.BytesConsumed - start;
                    return reader.GetString();
                }
                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }
        return null;
    }

    // The event's message with SessionToken and the sensitive properties rendered as [REDACTED] (PropertyRedactor), the
    // API key and the token removed from the text.
    public static string RenderMessage(LogEvent logEvent, MessageBuffer buffer, string? token, TextSanitizer sanitizer, PropertyRedactor redactor) =>
        Redact(buffer.Render(logEvent, redactor.ForMessage(logEvent)).ToString(), token, sanitizer);
}
