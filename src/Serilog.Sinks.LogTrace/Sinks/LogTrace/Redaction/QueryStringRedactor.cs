using System;
using System.Text;

namespace Serilog.Sinks.LogTrace.Redaction;

static class QueryStringRedactor
{
    // Keeps the query as the client sent it (encoding included), with the values of sensitive parameters replaced.
    public static string Redact(string queryString)
    {
        var query = queryString.StartsWith("?", StringComparison.Ordinal) ? queryString.Substring(1) : queryString;
        var result = new StringBuilder(queryString.Length + 1).Append('?');
        var first = true;
        foreach (var pair in query.Split('&'))
        {
            if (pair.Length == 0)
                continue;
            if (!first)
                result.Append('&');
            first = false;

            var equals = pair.IndexOf('=');
            var rawName = equals < 0 ? pair : pair.Substring(0, equals);
            if (LogTraceRedaction.IsSensitiveQueryParameter(Decode(rawName)))
                result.Append(rawName).Append("=" + LogTraceRedaction.Marker);
            else
                result.Append(pair);
        }
        return result.ToString();
    }

    static string Decode(string value)
    {
        try
        {
            return Uri.UnescapeDataString(value.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            return value;
        }
    }
}
