using System.Text;
using System.Text.Json;
using LogTrace.Collector;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Configuration;
using Serilog.Sinks.LogTrace.Records;
using static Serilog.Sinks.LogTrace.Tests.Support.Some;

namespace Serilog.Sinks.LogTrace.Tests.Formatting;

// Formats one event into a parsed body that the local collector (the service's rules) accepts.
static class FormattedBody
{
    public static LogTraceEventFormatter Formatter(int maxString = 16_384, int maxMetadata = 65_536) =>
        Create(o =>
        {
            o.MaxStringLength = maxString;
            o.MaxMetadataBytes = maxMetadata;
        });

    // A formatter as the sink builds one, from options (every one of them checked as at configuration).
    public static LogTraceEventFormatter Create(Action<LogTraceSinkOptions>? configure = null)
    {
        return new LogTraceEventFormatter(Support.TestSettings.Create(configure), () => "0190f3a2-5c4e-7b1d-9a2f-000000000001");
    }

    // Formats any record; the body's text when it was formatted, else "".
    public static (FormatOutcome Outcome, RecordKind Kind, string Json) Try(LogEvent logEvent, LogTraceEventFormatter? formatter = null)
    {
        using var buffers = new FormatBuffers();
        var outcome = (formatter ?? Formatter()).Format(logEvent, buffers, out var kind);
        return (outcome, kind, outcome == FormatOutcome.Formatted ? Encoding.UTF8.GetString(buffers.Body.Span) : "");
    }

    public static JsonElement Of(LogEvent logEvent, LogTraceEventFormatter? formatter = null)
    {
        using var buffers = new FormatBuffers();
        Assert.Equal(FormatOutcome.Formatted, (formatter ?? Formatter()).Format(logEvent, buffers));
        using var document = JsonDocument.Parse(Encoding.UTF8.GetString(buffers.Body.Span));
        Assert.Equal((202, "Event accepted for processing"), LogTraceCollector.ValidateEvent(document.RootElement));
        return document.RootElement.Clone();
    }
}
