using System;
using System.Globalization;
using System.Text;

namespace Serilog.Sinks.LogTrace.Testing.Internal;

// A request body's JSON text made readable the way the service's decoder reads it.
internal static class LoneSurrogateEscapes
{
    // Go decodes a \uD800-\uDFFF escape that is not half of a pair as U+FFFD; System.Text.Json parses it, then throws
    // on reading the string. Rewritten as \uFFFD inside strings; everything else is left as it is.
    public static string Replace(string json)
    {
        if (!json.Contains("\\u", StringComparison.Ordinal))
            return json;
        var result = new StringBuilder(json.Length);
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (!inString)
            {
                inString = c == '"';
                result.Append(c);
                continue;
            }
            if (c == '"')
            {
                inString = false;
                result.Append(c);
                continue;
            }
            if (c != '\\' || i + 1 >= json.Length)
            {
                result.Append(c);
                continue;
            }
            if (json[i + 1] == 'u' && Escaped(json, i) is { } unit && char.IsSurrogate(unit))
            {
                if (char.IsHighSurrogate(unit) && i + 11 < json.Length && json[i + 6] == '\\' && json[i + 7] == 'u' &&
                    Escaped(json, i + 6) is { } low && char.IsLowSurrogate(low))
                {
                    result.Append(json, i, 12);
                    i += 11;
                }
                else
                {
                    result.Append("\\uFFFD");
                    i += 5;
                }
                continue;
            }
            result.Append(c).Append(json[i + 1]);
            i++;
        }
        return result.ToString();
    }

    // The UTF-16 unit of the \uXXXX escape at index, if it is one.
    static char? Escaped(string json, int index) =>
        index + 6 <= json.Length && ushort.TryParse(json.AsSpan(index + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var unit)
            ? (char)unit
            : null;
}
