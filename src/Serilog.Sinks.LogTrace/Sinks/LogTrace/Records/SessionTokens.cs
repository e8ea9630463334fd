using System;
using System.Collections;
using System.Collections.Generic;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Accounting;

namespace Serilog.Sinks.LogTrace.Records;

// A record's SessionToken is sent as its token and nowhere else. The sink never copies the property into metadata
// (KnownFields); the rendered message (metadata.message, an audit log's description) is rendered with the property
// replaced, however the template formats it, and the token is also replaced where the message (through another
// property) or the exception's text repeats it. A property the application adds that holds the token is the
// application's. Tokens shorter than MinimumLength are not searched for in text: replacing two or three characters
// wherever they stand would mangle it, and such a token protects nothing.
//
// Text that quotes a body as JSON (a hook's exception carrying record.Body.ToJsonString(), a service echoing the
// request) holds the token escaped: a token with a character JSON escapes (+ < > & ' ` " \, a control or non-ASCII
// character) is also searched for as System.Text.Json writes it by default (\u002B), in lower-case hex (\u002b), and
// as the sink's relaxed encoder writes it. Other encoders' forms (\/ for /, say) are not known.
static class SessionTokens
{
    internal const int MinimumLength = 8;
    const string Redacted = LogTraceRedaction.Marker;

    public static bool Redacts(string? token) => token is { Length: >= MinimumLength };

    // The API key first (a token inside the key must not leave the rest of the key behind), then the token.
    public static string Redact(string text, string? token, TextSanitizer sanitizer)
    {
        text = sanitizer.RedactSecret(text);
        if (!Redacts(token))
            return text;
        text = Replaced(text, token!);
        if (!NeedsEscaping(token!))
            return text;
        var escaped = JsonEncodedText.Encode(token!).Value;
        text = Replaced(text, escaped);
        text = Replaced(text, LowerCaseHex(escaped));
        return Replaced(text, JsonEncodedText.Encode(token!, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).Value);
    }

    // The exception itself when its whole text (inner exceptions included) holds neither the API key nor the token;
    // else a stand-in with that text redacted, or with `unreadable` when its text cannot be read. Never throws.
    public static Exception WithoutSecrets(Exception ex, string? token, TextSanitizer sanitizer, string unreadable)
    {
        string? text;
        try
        {
            text = ex.ToString();
        }
        catch (Exception)
        {
            text = null;
        }
        var redacted = text == null ? unreadable : Redact(text, token, sanitizer);
        return text != null && string.Equals(text, redacted, StringComparison.Ordinal) ? ex : new LogTraceDeliveryException(redacted);
    }

    static string Replaced(string text, string form) =>
        text.IndexOf(form, StringComparison.Ordinal) >= 0 ? text.Replace(form, Redacted) : text;

    // Whether System.Text.Json's default encoder writes the token otherwise than it is (its relaxed encoder escapes a
    // subset of these).
    internal static bool NeedsEscaping(string token)
    {
        foreach (var c in token)
        {
            if (c < ' ' || c > '~' || c is '"' or '\\' or '+' or '<' or '>' or '&' or '\'' or '`')
                return true;
        }
        return false;
    }

    // \u002B as \u002b: the hex digits of each \u escape in lower case. `escaped` is System.Text.Json's, so every
    // escape in it is whole (\uXXXX, or a backslash and one character).
    static string LowerCaseHex(string escaped)
    {
        var chars = escaped.ToCharArray();
        for (var i = 0; i < chars.Length - 1; i++)
        {
            if (chars[i] != '\\')
                continue;
            if (chars[i + 1] == 'u')
            {
                for (var j = i + 2; j < i + 6; j++)
                    chars[j] = char.ToLowerInvariant(chars[j]);
                i += 5;
            }
            else
            {
                i++;
            }
        }
        return new string(chars);
    }

    // The token of a formatted record of this kind: a session's or a sign-out's (InBody); null for the other kinds.
    public static string? Of(RecordKind kind, ReadOnlySpan<byte> body) =>
        kind is RecordKind.Session or RecordKind.SessionLogout ? InBody(body) : null;

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
