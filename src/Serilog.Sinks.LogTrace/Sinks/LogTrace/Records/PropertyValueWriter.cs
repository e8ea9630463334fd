using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using Serilog.Events;

namespace Serilog.Sinks.LogTrace.Records;

// Renders Serilog's structured values as JSON: scalars as JSON scalars, sequences as arrays, structures and
// dictionaries as objects. A structure's member or a dictionary's entry whose name is sensitive (PropertyRedactor) is
// written as the redaction marker, at any depth. Nothing a property holds may throw out of here, because that would
// lose the event.
sealed class PropertyValueWriter
{
    internal const string TypeTagName = "$type";
    internal const string DepthLimitMarker = "…[depth limit]";

    // Serilog itself stops capturing at depth 10; hand-built values can nest further, and Utf8JsonWriter throws past
    // its own limit of 1000.
    internal const int MaxDepth = 32;

    static readonly JsonEncodedText Redacted = JsonEncodedText.Encode(LogTraceRedaction.Marker);

    readonly TextSanitizer _text;
    readonly PropertyRedactor _redactor;

    public PropertyValueWriter(TextSanitizer text, PropertyRedactor redactor)
    {
        _text = text;
        _redactor = redactor;
    }

    // names: keeps each object's names distinct where values could repeat one (UniqueNames).
    public void Write(Utf8JsonWriter writer, LogEventPropertyValue? value, UniqueNames names, int depth = 0)
    {
        if (depth > MaxDepth)
        {
            writer.WriteStringValue(DepthLimitMarker);
            return;
        }

        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case ScalarValue scalar:
                WriteScalar(writer, scalar.Value);
                break;
            case SequenceValue sequence:
                writer.WriteStartArray();
                // Indexed: an interface's enumerator would be allocated for every value.
                var elements = sequence.Elements;
                for (var i = 0; i < elements.Count; i++)
                    Write(writer, elements[i], names, depth + 1);
                writer.WriteEndArray();
                break;
            case StructureValue structure:
                WriteStructure(writer, structure, names, depth);
                break;
            case DictionaryValue dictionary:
                WriteDictionary(writer, dictionary, names, depth);
                break;
            default:
                writer.WriteStringValue(_text.Clean(SafeToString(value)));
                break;
        }
    }

    void WriteStructure(Utf8JsonWriter writer, StructureValue structure, UniqueNames names, int depth)
    {
        var properties = structure.Properties;
        // A member named "$type" counts as a possible repeat with or without a tag: without one it is taken once,
        // and the slower path writes the same names.
        var unique = UniqueNames.MayRepeat(structure, _text, TypeTagName);
        writer.WriteStartObject();
        if (unique)
            names.Begin();
        if (structure.TypeTag != null)
            writer.WriteString(unique ? names.Take(TypeTagName) : TypeTagName, _text.Clean(structure.TypeTag));
        for (var i = 0; i < properties.Count; i++)
        {
            var name = properties[i].Name;
            var clean = _text.Clean(name);
            writer.WritePropertyName(unique ? names.Take(clean) : clean);
            if (_redactor.IsSensitive(name))
                writer.WriteStringValue(Redacted);
            else
                Write(writer, properties[i].Value, names, depth + 1);
        }
        if (unique)
            names.End();
        writer.WriteEndObject();
    }

    void WriteDictionary(Utf8JsonWriter writer, DictionaryValue dictionary, UniqueNames names, int depth)
    {
        var unique = UniqueNames.MayRepeat(dictionary, _text);
        writer.WriteStartObject();
        if (unique)
            names.Begin();
        if (dictionary.Elements is Dictionary<ScalarValue, LogEventPropertyValue> entries)
        {
            foreach (var element in entries)
                WriteEntry(writer, element.Key, element.Value, names, unique, depth);
        }
        else
        {
            foreach (var element in dictionary.Elements)
                WriteEntry(writer, element.Key, element.Value, names, unique, depth);
        }
        if (unique)
            names.End();
        writer.WriteEndObject();
    }

    void WriteEntry(Utf8JsonWriter writer, ScalarValue key, LogEventPropertyValue value, UniqueNames names, bool unique, int depth)
    {
        var clean = _text.Clean(ScalarToString(key.Value) ?? "null");
        writer.WritePropertyName(unique ? names.Take(clean) : clean);
        if (_redactor.IsSensitiveKey(key))
            writer.WriteStringValue(Redacted);
        else
            Write(writer, value, names, depth + 1);
    }

    public void WriteScalar(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case string s: writer.WriteStringValue(_text.Clean(s)); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case int i: writer.WriteNumberValue(i); break;
            case long l: writer.WriteNumberValue(l); break;
            case short s: writer.WriteNumberValue(s); break;
            case byte b: writer.WriteNumberValue(b); break;
            case sbyte sb: writer.WriteNumberValue(sb); break;
            case ushort us: writer.WriteNumberValue(us); break;
            case uint ui: writer.WriteNumberValue(ui); break;
            case ulong ul: writer.WriteNumberValue(ul); break;
            case decimal m: writer.WriteNumberValue(m); break;
            // JSON has no NaN or infinities: Utf8JsonWriter throws on them, so they travel as strings.
            case double d when IsFinite(d): writer.WriteNumberValue(d); break;
            case float f when IsFinite(f): writer.WriteNumberValue(f); break;
            // Not null here, so its text is not null either.
            default: writer.WriteStringValue(_text.Clean(ScalarToString(value)!)); break;
        }
    }

    // The text of a scalar where a string is needed (names, user ids, header values). Culture-invariant and
    // round-trippable, so the same value always reads the same on the service side.
    internal static string? ScalarToString(object? value)
    {
        switch (value)
        {
            case null: return null;
            case string s: return s;
            case bool b: return b ? "true" : "false";
#if !NETCOREAPP3_0_OR_GREATER
            // .NET Framework's default is 15 digits, not the shortest round-trippable text .NET Core 3.0 made the
            // default (there the IFormattable arm below gives the same text).
            case double d: return d.ToString("R", CultureInfo.InvariantCulture);
            case float f: return f.ToString("R", CultureInfo.InvariantCulture);
#endif
            case DateTime dt: return dt.ToString("O", CultureInfo.InvariantCulture);
            case DateTimeOffset dto: return dto.ToString("O", CultureInfo.InvariantCulture);
#if NET8_0_OR_GREATER
            case DateOnly date: return date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            case TimeOnly time: return time.ToString("HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
#endif
            case byte[] bytes: return Convert.ToBase64String(bytes);
            case char c: return char.IsSurrogate(c) ? "\uFFFD" : c.ToString();
            case Enum e: return SafeToString(e);
            // TimeSpan (its null format is "c"), numbers, and any other formattable value, culture-invariant.
            case IFormattable formattable:
                try
                {
                    // A formattable may give null, as ToString() may: "" then, never null (WriteScalar relies on it).
                    return formattable.ToString(null, CultureInfo.InvariantCulture) ?? "";
                }
                catch (Exception ex)
                {
                    return ToStringFailed(value, ex);
                }
            default: return SafeToString(value);
        }
    }

    static string SafeToString(object value)
    {
        try
        {
            return value.ToString() ?? "";
        }
        catch (Exception ex)
        {
            return ToStringFailed(value, ex);
        }
    }

    static string ToStringFailed(object value, Exception ex) =>
        $"[{value.GetType().Name}.ToString() threw {ex.GetType().Name}]";

    static bool IsFinite(double d) => !double.IsNaN(d) && !double.IsInfinity(d);
}
