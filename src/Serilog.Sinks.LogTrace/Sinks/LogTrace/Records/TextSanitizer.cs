using System;
using System.Text;

namespace Serilog.Sinks.LogTrace.Records;

// Every string that leaves the process passes through here: it must never carry the API key, must be valid UTF-16
// (Utf8JsonWriter throws on lone surrogates, which would lose the whole event), and must stay within the size limit.
sealed class TextSanitizer
{
    const char ReplacementCharacter = '\uFFFD';

    readonly string? _secret;
    readonly int _maxLength;

    public TextSanitizer(string? secret, int maxLength)
    {
        // A very short "secret" would redact ordinary words; real keys are long (lg_ + 32 hex digits).
        _secret = secret is { Length: >= 8 } ? secret : null;
        _maxLength = maxLength;
    }

    public string Clean(string value)
    {
        value = RedactSecret(value);

        if (value.Length > _maxLength)
            value = LogTraceRedaction.Truncate(value, _maxLength);

        return ReplaceLoneSurrogates(value);
    }

    public string RedactSecret(string value)
    {
        if (_secret == null)
            return value;
        if (value.Length >= _secret.Length && value.IndexOf(_secret, StringComparison.Ordinal) >= 0)
            value = value.Replace(_secret, LogTraceRedaction.Marker);
        // Each cut key part (HasCutSecret) replaced by the marker; a text is only made at the first one.
        StringBuilder? text = null;
        var from = 0;
        for (var at = value.IndexOf(Ellipsis); at >= 0; at = value.IndexOf(Ellipsis, at + 1))
        {
            var cut = CutBefore(value.AsSpan(from, at - from));
            if (cut == 0)
                continue;
            text ??= new StringBuilder(value.Length);
            text.Append(value, from, at - from - cut).Append(LogTraceRedaction.Marker);
            from = at;
        }
        return text == null ? value : text.Append(value, from, value.Length - from).ToString();
    }

    // Whether Clean would change this text: the formatter writes text that needs nothing as it is, without a string.
    public bool NeedsCleaning(ReadOnlySpan<char> value) =>
        value.Length > _maxLength ||
        (_secret != null && value.Length >= _secret.Length && value.IndexOf(_secret.AsSpan(), StringComparison.Ordinal) >= 0) ||
        HasCutSecret(value) ||
        IndexOfSurrogate(value) >= 0;

    // A value cut before it reached the sink can hold the first part of the key, which the whole key's replacement
    // cannot find: Serilog cuts a captured string at Destructure.ToMaximumStringLength and ends it with '…' (which the
    // rendered message then quotes, mid-text), and the ASP.NET Core capture cuts a header's value at
    // MaxHeaderValueLength with LogTraceRedaction.Truncate ("…[truncated]"). Both end the cut with '…': whether one is
    // preceded by at least MinCutSecret characters of the key's start.
    bool HasCutSecret(ReadOnlySpan<char> value)
    {
        if (_secret == null)
            return false;
        var offset = 0;
        for (var at = value.IndexOf(Ellipsis); at >= 0; at = value.Slice(offset).IndexOf(Ellipsis))
        {
            if (CutBefore(value.Slice(0, offset + at)) > 0)
                return true;
            offset += at + 1;
        }
        return false;
    }

    // How many characters of the key's start the text ends with (MinCutSecret or more, less than the whole key); 0 if
    // fewer.
    int CutBefore(ReadOnlySpan<char> text)
    {
        for (var length = Math.Min(_secret!.Length - 1, text.Length); length >= MinCutSecret; length--)
        {
            if (text.EndsWith(_secret.AsSpan(0, length), StringComparison.Ordinal))
                return length;
        }
        return 0;
    }

    const char Ellipsis = '\u2026';

    // "lg_" and one digit say nothing of a key; a part that long or longer is redacted.
    const int MinCutSecret = 4;

    internal static string ReplaceLoneSurrogates(string value)
    {
        var first = IndexOfSurrogate(value.AsSpan());
        if (first < 0)
            return value;

        char[]? copy = null;
        for (var i = first; i < value.Length; i++)
        {
            var c = value[i];
            if (!char.IsSurrogate(c))
                continue;

            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }

            copy ??= value.ToCharArray();
            copy[i] = ReplacementCharacter;
        }

        return copy == null ? value : new string(copy);
    }

    static int IndexOfSurrogate(ReadOnlySpan<char> value)
    {
#if NET8_0_OR_GREATER
        return value.IndexOfAnyInRange('\uD800', '\uDFFF');
#else
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsSurrogate(value[i]))
                return i;
        }
        return -1;
#endif
    }
}
