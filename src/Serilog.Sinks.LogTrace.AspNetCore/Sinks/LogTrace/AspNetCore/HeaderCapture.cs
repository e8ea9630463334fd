using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Serilog.Events;

namespace Serilog.Sinks.LogTrace.AspNetCore;

// Copies a request's headers, redacted, capped and bounded, into the compact form a request keeps after its
// HttpContext is gone. The Serilog value (two ScalarValues and a dictionary entry per header) is built only when an
// event needs it, so a request that logs nothing pays for one small array.
static class HeaderCapture
{
    internal const string TruncatedKey = "_truncated";

    public static CapturedHeaders Capture(IHeaderDictionary headers, LogTraceHttpContextOptions options)
    {
        var kept = new KeyValuePair<string, string>[System.Math.Min(headers.Count, options.MaxHeaderCount)];
        var count = 0;
        var dropped = 0;
        var remainingBytes = options.MaxHeaderBlockBytes;
        foreach (var header in headers)
        {
            var name = header.Key;
            if (options.IncludedHeaders != null && !options.IncludedHeaders.Contains(name))
                continue;
            // The name of the marker is reserved: a header spelled like it would make the dictionary ambiguous.
            if (count == kept.Length || name.Length > options.MaxHeaderNameLength || name == TruncatedKey)
            {
                dropped++;
                continue;
            }

            // The sink's own policy, so what the LogTrace wire redacts is redacted for every sink that sees the headers.
            var value = LogTraceRedaction.Truncate(LogTraceRedaction.RedactHeader(name, header.Value.ToString()), options.MaxHeaderValueLength);
            var size = Encoding.UTF8.GetByteCount(name) + Encoding.UTF8.GetByteCount(value);
            if (size > remainingBytes)
            {
                dropped++;
                continue;
            }

            remainingBytes -= size;
            kept[count++] = new KeyValuePair<string, string>(name, value);
        }

        var marker = dropped == 0 ? null : string.Format(CultureInfo.InvariantCulture,
            "{0} headers left out: limits of {1} headers, {2}-character names and {3} bytes",
            dropped, options.MaxHeaderCount, options.MaxHeaderNameLength, options.MaxHeaderBlockBytes);
        return new CapturedHeaders(kept, count, marker);
    }
}

sealed class CapturedHeaders
{
    readonly KeyValuePair<string, string>[] _headers;
    readonly int _count;
    readonly string? _marker;
    LogEventPropertyValue? _value;

    public CapturedHeaders(KeyValuePair<string, string>[] headers, int count, string? marker)
    {
        _headers = headers;
        _count = count;
        _marker = marker;
    }

    // Built once and shared by every event of the request. Callers hold the request's lock.
    public LogEventPropertyValue ToPropertyValue()
    {
        if (_value != null)
            return _value;

        var elements = new List<KeyValuePair<ScalarValue, LogEventPropertyValue>>(_count + 1);
        for (var i = 0; i < _count; i++)
            elements.Add(new KeyValuePair<ScalarValue, LogEventPropertyValue>(new ScalarValue(_headers[i].Key), new ScalarValue(_headers[i].Value)));
        if (_marker != null)
            elements.Add(new KeyValuePair<ScalarValue, LogEventPropertyValue>(new ScalarValue(HeaderCapture.TruncatedKey), new ScalarValue(_marker)));
        return _value = new DictionaryValue(elements);
    }
}
