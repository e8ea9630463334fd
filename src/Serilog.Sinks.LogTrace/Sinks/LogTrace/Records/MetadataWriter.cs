using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using Serilog.Events;

namespace Serilog.Sinks.LogTrace.Records;

// Writes the metadata object: the event's id, message, level, exception and trace ids, then every property that did
// not become a LogTrace field, within maxMetadataBytes; properties that do not fit are left out whole and named in a
// _truncated entry.
sealed class MetadataWriter
{
    const int MaxOmittedNamesListed = 10;
    static readonly JsonEncodedText EventIdName = JsonEncodedText.Encode(LogTraceEventFormatter.EventIdKey);

    readonly TextSanitizer _text;
    readonly PropertyValueWriter _values;
    readonly PropertyRedactor _redactor;
    readonly int _maxMetadataBytes;
    readonly Func<string>? _newEventId;

    // newEventId: for tests; by default each event gets a UUID version 7 (EventId).
    public MetadataWriter(TextSanitizer text, PropertyRedactor redactor, int maxMetadataBytes, Func<string>? newEventId)
    {
        _text = text;
        _redactor = redactor;
        _values = new PropertyValueWriter(text, redactor);
        _maxMetadataBytes = maxMetadataBytes;
        _newEventId = newEventId;
    }

    // message: false when the rendered message has a field of its own (an audit log's description). token: the
    // record's session token, kept out of the message and the exception text (SessionTokens). Sensitive properties
    // (PropertyRedactor) are written as the marker, and rendered as it in the message.
    public void Write(Utf8JsonWriter writer, LogEvent logEvent, int consumed, FormatBuffers buffers, bool message = true, string? token = null)
    {
        var budget = new MetadataBudget(_maxMetadataBytes);
        writer.WriteStartObject();
        // Outside the budget: the id is small, and is what makes retries safe to deduplicate.
        if (_newEventId != null)
            writer.WriteString(LogTraceEventFormatter.EventIdKey, _newEventId());
        else
            EventId.Write(writer, EventIdName, logEvent.Timestamp);

        // Rendered into the sender's reusable buffer, not into a string per event.
        if (message && (token != null || _redactor.InMessage(logEvent)))
            AddMetadataString(writer, buffers, ref budget, LogTraceEventFormatter.MessageKey, SessionTokens.RenderMessage(logEvent, buffers.Message, token, _text, _redactor));
        else if (message)
            AddMetadataText(writer, buffers, ref budget, LogTraceEventFormatter.MessageKey, buffers.Message.Render(logEvent));
        AddMetadataString(writer, buffers, ref budget, LogTraceEventFormatter.LevelKey, LevelName(logEvent.Level));
        if (logEvent.Exception != null)
            AddMetadataString(writer, buffers, ref budget, LogTraceEventFormatter.ExceptionKey, SessionTokens.Redact(ExceptionText(logEvent.Exception), token, _text));
        // Serilog records the current Activity's W3C ids on each event.
        if (logEvent.TraceId is { } traceId)
            AddMetadataString(writer, buffers, ref budget, LogTraceEventFormatter.TraceIdKey, traceId.ToHexString());
        if (logEvent.SpanId is { } spanId)
            AddMetadataString(writer, buffers, ref budget, LogTraceEventFormatter.SpanIdKey, spanId.ToHexString());

        // Through the concrete dictionary where it is one (always, with Serilog 4): its enumerator allocates nothing.
        var names = new TopLevelNames(logEvent.Properties, buffers.Names);
        if (logEvent.Properties is Dictionary<string, LogEventPropertyValue> properties)
        {
            foreach (var property in properties)
                AddProperty(writer, buffers, ref budget, ref names, consumed, property.Key, property.Value);
        }
        else
        {
            foreach (var property in logEvent.Properties)
                AddProperty(writer, buffers, ref budget, ref names, consumed, property.Key, property.Value);
        }
        names.End();

        if (budget.OmittedCount > 0)
        {
            writer.WriteString(LogTraceEventFormatter.TruncatedKey, string.Format(CultureInfo.InvariantCulture,
                "{0} properties left out: metadata limit of {1} bytes reached ({2}{3})",
                budget.OmittedCount, _maxMetadataBytes, string.Join(", ", budget.OmittedNames),
                budget.OmittedCount > budget.OmittedNames.Count ? ", ..." : ""));
        }

        writer.WriteEndObject();
    }

    void AddProperty(Utf8JsonWriter writer, FormatBuffers buffers, ref MetadataBudget budget, ref TopLevelNames names, int consumed, string key,
        LogEventPropertyValue value)
    {
        var index = KnownFields.IndexOf(key);
        if (index >= 0 && (consumed & (1 << index)) != 0)
            return;

        var name = names.Take(MetadataName(key), _text);
        if (_redactor.IsSensitive(key))
        {
            AddMetadataString(writer, buffers, ref budget, name, LogTraceRedaction.Marker);
            return;
        }
        if (value is ScalarValue { Value: string text })
        {
            // The same JSON as PropertyValueWriter writes for it: the cleaned string.
            AddMetadataString(writer, buffers, ref budget, name, text);
            return;
        }
        if (value is ScalarValue { Value: null or bool or int or long or short or byte or sbyte or ushort or uint or ulong or decimal or double or float } number &&
            TryWriteDirectly(writer, ref budget, name, default, MaxNumberBytes, number.Value, scalar: true))
            return;
        _values.Write(buffers.ScratchWriter, value, buffers.Names);
        AddMetadataValue(writer, buffers, ref budget, name);
    }

    void AddMetadataString(Utf8JsonWriter writer, FormatBuffers buffers, ref MetadataBudget budget, string name, string value)
    {
        var clean = _text.Clean(value);
        if (TryWriteDirectly(writer, ref budget, name, clean.AsSpan(), MaxJsonBytes(clean.Length)))
            return;
        buffers.ScratchWriter.WriteStringValue(clean);
        AddMetadataValue(writer, buffers, ref budget, name);
    }

    // Text that needs no cleaning is written as it is; otherwise it is cleaned like any other string.
    void AddMetadataText(Utf8JsonWriter writer, FormatBuffers buffers, ref MetadataBudget budget, string name, ReadOnlySpan<char> value)
    {
        if (_text.NeedsCleaning(value) || !TryWriteDirectly(writer, ref budget, name, value, MaxJsonBytes(value.Length)))
            AddMetadataString(writer, buffers, ref budget, name, value.ToString());
    }

    // Numbers, booleans, null and clean strings go straight into the body when even their longest JSON form fits the
    // budget: the size they take is then measured, and is exactly what AddMetadataValue would have taken.
    // name: clean already (the fixed keys, or TopLevelNames.Take's).
    bool TryWriteDirectly(Utf8JsonWriter writer, ref MetadataBudget budget, string cleanName, ReadOnlySpan<char> text, long maxValueBytes,
        object? value = null, bool scalar = false)
    {
        // Name, quotes, colon and comma, as in AddMetadataValue.
        var nameBytes = System.Text.Encoding.UTF8.GetByteCount(cleanName) + 4;
        if (!budget.Fits(maxValueBytes + nameBytes))
            return false;
        writer.WritePropertyName(cleanName);
        var before = writer.BytesCommitted + writer.BytesPending;
        if (scalar)
            _values.WriteScalar(writer, value);
        else
            writer.WriteStringValue(text);
        // Within the bound checked above, so always taken.
        budget.TryTake((int)(writer.BytesCommitted + writer.BytesPending - before) + nameBytes);
        return true;
    }

    // The longest JSON a number, boolean or null can take (decimal's 29 digits, sign and point; "R" doubles are shorter).
    const int MaxNumberBytes = 64;

    // Every UTF-16 unit escaped as \uXXXX, and the quotes.
    static long MaxJsonBytes(int length) => 6L * length + 2;

    void AddMetadataValue(Utf8JsonWriter writer, FormatBuffers buffers, ref MetadataBudget budget, string cleanName)
    {
        var scratch = buffers.ScratchWriter;
        scratch.Flush();
        var value = buffers.Scratch.WrittenSpan;
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

    // A property named as one of the sink's own entries ("message", "level", ...) gets a "_" in front. So that this
    // cannot make two names alike ("message" and "_message"), every name that is underscores and then one of those
    // entries gets one more: "_message" becomes "__message". Each such name keeps its own, one longer.
    internal static string MetadataName(string propertyName) =>
        IsOwnEntryName(propertyName) ? "_" + propertyName : propertyName;

    // Whether the name is a run of underscores (maybe none) followed by one of the sink's own metadata entries.
    internal static bool IsOwnEntryName(string name)
    {
        for (var start = 0; start < name.Length; start++)
        {
            if (IsOwnEntry(name.AsSpan(start)))
                return true;
            if (name[start] != '_')
                return false;
        }
        return false;
    }

    static bool IsOwnEntry(ReadOnlySpan<char> name) =>
        name.SequenceEqual(LogTraceEventFormatter.MessageKey.AsSpan()) || name.SequenceEqual(LogTraceEventFormatter.LevelKey.AsSpan()) ||
        name.SequenceEqual(LogTraceEventFormatter.ExceptionKey.AsSpan()) || name.SequenceEqual(LogTraceEventFormatter.TruncatedKey.AsSpan()) ||
        name.SequenceEqual(LogTraceEventFormatter.EventIdKey.AsSpan()) || name.SequenceEqual(LogTraceEventFormatter.TraceIdKey.AsSpan()) ||
        name.SequenceEqual(LogTraceEventFormatter.SpanIdKey.AsSpan());

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

        public readonly bool Fits(long size) => size <= _remaining;

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
