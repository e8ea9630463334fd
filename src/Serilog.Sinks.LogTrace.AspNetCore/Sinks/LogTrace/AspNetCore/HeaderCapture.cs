using System.Collections.Generic;
using Microsoft.AspNetCore.Http;
using Serilog.Events;

namespace Serilog.Sinks.LogTrace.AspNetCore;

static class HeaderCapture
{
    const string Redacted = "[REDACTED]";
    const string TruncatedMarker = "…[truncated]";

    public static LogEventPropertyValue Capture(IHeaderDictionary headers, LogTraceHttpContextOptions options)
    {
        var elements = new List<KeyValuePair<ScalarValue, LogEventPropertyValue>>(headers.Count);
        foreach (var header in headers)
        {
            if (options.IncludedHeaders != null && !options.IncludedHeaders.Contains(header.Key))
                continue;

            var value = options.RedactedHeaders.Contains(header.Key) ? Redacted : Cap(header.Value.ToString(), options.MaxHeaderValueLength);
            elements.Add(new KeyValuePair<ScalarValue, LogEventPropertyValue>(new ScalarValue(header.Key), new ScalarValue(value)));
        }
        return new DictionaryValue(elements);
    }

    static string Cap(string value, int max) =>
        value.Length <= max ? value : value.Substring(0, max) + TruncatedMarker;
}
