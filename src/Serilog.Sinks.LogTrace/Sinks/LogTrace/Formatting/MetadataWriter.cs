using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using Serilog.Events;

namespace Serilog.Sinks.LogTrace.Formatting;

// Writes the metadata object: the event's id, message, level, exception and trace ids, then every property that did
// not become a LogTrace field, within maxMetadataBytes; properties that do not fit are left out whole and named in a
// _truncated entry.
sealed class MetadataWriter
{
    const int MaxOmittedNamesListed = 10;

    readonly TextSanitizer _text;
    readonly PropertyValueWriter _values;
    readonly int _maxMetadataBytes;
    readonly Func<string> _newEventId;

    public MetadataWriter(TextSanitizer text, int maxMetadataBytes, Func<string> newEventId)
    {
        _text = text;
        _values = new PropertyValueWriter(text);
        _maxMetadataBytes = maxMetadataBytes;
        _newEventId = newEventId;
    }

    public void Write(Utf8JsonWriter writer, LogEvent logEvent, int consumed, FormatBuffers buffers)
    {
        var budget = new MetadataBudget(_maxMetadataBytes);
        writer.WriteStartObject();
        // Outside the budget: the id is small, and is what makes retries safe to deduplicate.
        writer.WriteString(LogTraceEventFormatter.EventIdKey, _newEventId());

        AddMetadataString(writer, buffers, ref budget, LogTraceEventFormatter.MessageKey, logEvent.RenderMessage(CultureInfo.InvariantCulture));
        AddMetadataString(writer, buffers, ref budget, LogTraceEventFormatter.LevelKey, LevelName(logEvent.Level));
        if (logEvent.Exception != null)
            AddMetadataString(writer, buffers, ref budget, LogTraceEventFormatter.ExceptionKey, ExceptionText(logEvent.Exception));
        // Serilog records the current Activity's W3C ids on each event.
        if (logEvent.TraceId is { } traceId)
            AddMetadataString(writer, buffers, ref budget, LogTraceEventFormatter.TraceIdKey, traceId.ToHexString());
        if (logEvent.SpanId is { } spanId)
            AddMetadataString(writer, buffers, ref budget, LogTraceEventFormatter.SpanIdKey, spanId.ToHexString());

        foreach (var property in logEvent.Properties)
        {
            var index = KnownFields.IndexOf(property.Key);
            if (index >= 0 && (consumed & (1 << index)) != 0)
                continue;

            var scratch = buffers.ScratchWriter;
            _values.Write(scratch, property.Value);
            AddMetadataValue(writer, buffers, ref budget, MetadataName(property.Key));
        }

        if (budget.OmittedCount > 0)
        {
            writer.WriteString(LogTraceEventFormatter.TruncatedKey, string.Format(CultureInfo.InvariantCulture,
                "{0} properties left out: metadata limit of {1} bytes reached ({2}{3})",
                budget.OmittedCount, _maxMetadataBytes, string.Join(", ", budget.OmittedNames),
                budget.OmittedCount > budget.OmittedNames.Count ? ", ..." : ""));
        }

        writer.WriteEndObject();
    }

    void AddMetadataString(Utf8JsonWriter writer, FormatBuffers buffers, ref MetadataBudget budget, string name, string value)
    {
        buffers.ScratchWriter.WriteStringValue(_text.Clean(value));
        AddMetadataValue(writer, buffers, ref budget, name);
    }

    // Each value is rendered into a scratch buffer first, so a value that would break the size limit can be left out
    // whole; Utf8JsonWriter cannot take back what it has written.
    void AddMetadataValue(Utf8JsonWriter writer, FormatBuffers buffers, ref MetadataBudget budget, string name)
    {
        var scratch = buffers.ScratchWriter;
        scratch.Flush();
        var value = buffers.Scratch.WrittenSpan;
        var cleanName = _text.Clean(name);
        // name, quotes, colon and comma; escaping can only make the name longer, which the limit tolerates.
        var size = value.Length + System.Text.Encoding.UTF8.GetByteCount(cleanName) + 4;
        if (budget.TryTake(size))
        {
            writer.WritePropertyName(cleanName);
            writer.WriteRawValue(value, skipInputValidation: true);
        }
        else
        {
            budget.Omit(cleanName, MaxOmittedNamesListed);
        }
        buffers.ResetScratch();
    }

    static string MetadataName(string propertyName) =>
        propertyName is LogTraceEventFormatter.MessageKey or LogTraceEventFormatter.LevelKey or LogTraceEventFormatter.ExceptionKey or LogTraceEventFormatter.TruncatedKey or LogTraceEventFormatter.EventIdKey or LogTraceEventFormatter.TraceIdKey or LogTraceEventFormatter.SpanIdKey ? "_" + propertyName : propertyName;

    static string LevelName(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose => "Verbose",
        LogEventLevel.Debug => "Debug",
        LogEventLevel.Information => "Information",
        LogEventLevel.Warning => "Warning",
        LogEventLevel.Error => "Error",
        LogEventLevel.Fatal => "Fatal",
        _ => ((int)level).ToString(CultureInfo.InvariantCulture),
    };

    static string ExceptionText(Exception exception)
    {
        try
        {
            return exception.ToString();
        }
        catch (Exception ex)
        {
            return $"{exception.GetType().FullName}: [ToString() threw {ex.GetType().Name}]";
        }
    }

    struct MetadataBudget
    {
        int _remaining;
        public int OmittedCount;
        public List<string> OmittedNames;

        public MetadataBudget(int limit)
        {
            _remaining = limit;
            OmittedCount = 0;
            OmittedNames = null!;
        }

        public bool TryTake(int size)
        {
            if (size > _remaining)
                return false;
            _remaining -= size;
            return true;
        }

        public void Omit(string name, int listLimit)
        {
            OmittedCount++;
            OmittedNames ??= new List<string>();
            if (OmittedNames.Count < listLimit)
                OmittedNames.Add(name);
        }
    }
}
