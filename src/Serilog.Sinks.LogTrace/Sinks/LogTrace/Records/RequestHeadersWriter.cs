using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Serilog.Events;

namespace Serilog.Sinks.LogTrace.Records;

// Writes request_details.request_headers: string values only (the service decodes it as string -> string and any
// other JSON type fails the whole body), credentials redacted, and the block bounded, whatever the application put in
// the RequestHeaders property.
sealed class RequestHeadersWriter
{
    // The most the sink sends, whoever built the property. Serilog.Sinks.LogTrace.AspNetCore's limits may be lower,
    // never higher (its options are validated against these numbers).
    internal const int MaxHeaderCount = 128;
    internal const int MaxNameLength = 256;
    internal const int MaxBlockBytes = 16_384;
    internal const string TruncatedKey = LogTraceEventFormatter.TruncatedKey;
    const int MaxMarkerLength = 512;

    readonly TextSanitizer _text;

    public RequestHeadersWriter(TextSanitizer text) => _text = text;

    // names: keeps the headers' names distinct where the property could repeat one (UniqueNames).
    public void Write(Utf8JsonWriter writer, LogEventPropertyValue headers, UniqueNames names)
    {
        var budget = new Budget();
        writer.WriteStartObject();
        if (headers is DictionaryValue dictionary)
        {
            budget.Names = UniqueNames.MayRepeat(dictionary, _text) ? names : null;
            budget.Names?.Begin();
            // Through the concrete dictionary where it is one: its enumerator allocates nothing.
            if (dictionary.Elements is Dictionary<ScalarValue, LogEventPropertyValue> elements)
            {
                foreach (var header in elements)
                    WriteHeader(writer, PropertyValueWriter.ScalarToString(header.Key.Value) ?? "", header.Value, ref budget);
            }
            else
            {
                foreach (var header in dictionary.Elements)
                    WriteHeader(writer, PropertyValueWriter.ScalarToString(header.Key.Value) ?? "", header.Value, ref budget);
            }
        }
        else if (headers is StructureValue structure)
        {
            budget.Names = UniqueNames.MayRepeat(structure, _text, typeTagName: null) ? names : null;
            budget.Names?.Begin();
            var properties = structure.Properties;
            for (var i = 0; i < properties.Count; i++)
                WriteHeader(writer, properties[i].Name, properties[i].Value, ref budget);
        }
        budget.Names?.End();

        var marker = budget.Dropped == 0
            ? budget.EarlierMarker
            : string.Format(CultureInfo.InvariantCulture, "{0} headers left out: limits of {1} headers, {2}-character names and {3} bytes",
                budget.Dropped, MaxHeaderCount, MaxNameLength, MaxBlockBytes) + (budget.EarlierMarker is { } earlier ? "; " + earlier : "");
        // A marker is a short note; one built by hand must not carry what the block's limit kept out.
        if (marker != null)
            writer.WriteString(TruncatedKey, _text.Clean(LogTraceRedaction.Truncate(marker, MaxMarkerLength)));
        writer.WriteEndObject();
    }

    void WriteHeader(Utf8JsonWriter writer, string name, LogEventPropertyValue value, ref Budget budget)
    {
        // The marker of whoever captured the headers is kept, and written last together with any of ours. No header
        // has this name, and ours takes its place: any other value under it is counted among those left out.
        if (name == TruncatedKey)
        {
            if (value is ScalarValue { Value: string earlier })
                budget.EarlierMarker = earlier;
            else
                budget.Dropped++;
            return;
        }

        if (budget.Count >= MaxHeaderCount || name.Length > MaxNameLength)
        {
            budget.Dropped++;
            return;
        }

        var cleanName = _text.Clean(name);
        if (budget.Names != null)
            cleanName = budget.Names.Take(cleanName);
        // Numbering (" (2)"), or the marker of a cut, can take a name of the longest length past it.
        if (cleanName.Length > MaxNameLength)
        {
            budget.Dropped++;
            return;
        }
        // A sensitive header's value is never even turned into text.
        var text = LogTraceRedaction.IsSensitiveHeader(name) ? LogTraceRedaction.Marker : _text.Clean(LogTraceRedaction.RedactUrlHeader(name, ValueText(value)));
        // Name, value, quotes, colon and comma; escaping can only make the JSON longer, which the limit tolerates.
        var size = Encoding.UTF8.GetByteCount(cleanName) + Encoding.UTF8.GetByteCount(text) + 6;
        if (size > budget.RemainingBytes)
        {
            budget.Dropped++;
            return;
        }

        budget.Count++;
        budget.RemainingBytes -= size;
        writer.WriteString(cleanName, text);
    }

    static string ValueText(LogEventPropertyValue value) => value switch
    {
        ScalarValue scalar => PropertyValueWriter.ScalarToString(scalar.Value) ?? "",
        SequenceValue sequence => JoinValues(sequence),
        _ => value.ToString(),
    };

    static string JoinValues(SequenceValue sequence)
    {
        var parts = new string[sequence.Elements.Count];
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = sequence.Elements[i] is ScalarValue scalar
                ? PropertyValueWriter.ScalarToString(scalar.Value) ?? ""
                : sequence.Elements[i].ToString();
        }
        return string.Join(", ", parts);
    }

    struct Budget
    {
        public int Count;
        public int Dropped;
        public int RemainingBytes;
        public string? EarlierMarker;
        // Set where two headers could be written alike.
        public UniqueNames? Names;

        public Budget()
        {
            Count = 0;
            Dropped = 0;
            RemainingBytes = MaxBlockBytes;
            EarlierMarker = null;
            Names = null;
        }
    }
}
