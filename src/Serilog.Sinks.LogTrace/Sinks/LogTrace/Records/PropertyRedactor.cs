using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using Serilog.Events;
using Serilog.Parsing;
using Serilog.Sinks.LogTrace.Redaction;

namespace Serilog.Sinks.LogTrace.Records;

// Which property values a sink redacts: LogTraceRedaction.SensitiveProperties (read live, like the header list) and
// the sink's own LogTraceSinkOptions.SensitiveProperties. PropertyValueWriter asks it for every name it writes; the
// rendered message, which shows a placeholder's value whole ({@Before} renders every member), is rendered from
// redacted copies of the values that need it. Nothing here is copied for a record without a sensitive name.
sealed class PropertyRedactor
{
    internal static readonly ScalarValue RedactedValue = new(LogTraceRedaction.Marker);

    // Deeper than PropertyValueWriter writes is never looked at: it writes the depth marker there, and so does the
    // message's copy (a container past the limit counts as holding a sensitive name, since it is not searched; Serilog's
    // renderer has no limit, and would show whatever lies below).
    const int MaxDepth = PropertyValueWriter.MaxDepth;
    static readonly ScalarValue DepthLimitValue = new(PropertyValueWriter.DepthLimitMarker);

    readonly PropertyNameSet? _own;

    public PropertyRedactor(IEnumerable<string>? own)
    {
        var names = own?.Where(name => !string.IsNullOrWhiteSpace(name)).Select(name => name.Trim()).ToArray();
        if (names is { Length: > 0 })
            _own = new PropertyNameSet(names);
    }

    public bool IsSensitive(string name) =>
        LogTraceRedaction.SensitivePropertySet.Contains(name) || (_own != null && _own.Contains(name));

    // Whether a dictionary's key names a sensitive value: only text keys are names.
    public bool IsSensitiveKey(ScalarValue key) => key.Value is string name && IsSensitive(name);

    // Whether the value holds a sensitive name at any depth, or a container past the depth limit.
    public bool Holds(LogEventPropertyValue? value, int depth = 0)
    {
        if (depth > MaxDepth)
            return value is StructureValue or SequenceValue or DictionaryValue;
        switch (value)
        {
            case StructureValue structure:
                var properties = structure.Properties;
                for (var i = 0; i < properties.Count; i++)
                {
                    if (IsSensitive(properties[i].Name) || Holds(properties[i].Value, depth + 1))
                        return true;
                }
                return false;
            case SequenceValue sequence:
                var elements = sequence.Elements;
                for (var i = 0; i < elements.Count; i++)
                {
                    if (Holds(elements[i], depth + 1))
                        return true;
                }
                return false;
            case DictionaryValue dictionary:
                foreach (var entry in dictionary.Elements)
                {
                    if (IsSensitiveKey(entry.Key) || Holds(entry.Value, depth + 1))
                        return true;
                }
                return false;
            default:
                return false;
        }
    }

    // A copy of the value with every sensitive member's value replaced, and what lies past the depth limit replaced by
    // the marker the metadata has there; the value itself when it holds neither.
    public LogEventPropertyValue Redact(LogEventPropertyValue value, int depth = 0)
    {
        if (!Holds(value, depth))
            return value;
        if (depth > MaxDepth)
            return DepthLimitValue;
        switch (value)
        {
            case StructureValue structure:
                var properties = new List<LogEventProperty>(structure.Properties.Count);
                foreach (var property in structure.Properties)
                    properties.Add(new LogEventProperty(property.Name, IsSensitive(property.Name) ? RedactedValue : Redact(property.Value, depth + 1)));
                return new StructureValue(properties, structure.TypeTag);
            case SequenceValue sequence:
                var elements = new List<LogEventPropertyValue>(sequence.Elements.Count);
                foreach (var element in sequence.Elements)
                    elements.Add(Redact(element, depth + 1));
                return new SequenceValue(elements);
            default:
                var entries = new List<KeyValuePair<ScalarValue, LogEventPropertyValue>>();
                foreach (var entry in ((DictionaryValue)value).Elements)
                    entries.Add(new KeyValuePair<ScalarValue, LogEventPropertyValue>(entry.Key, IsSensitiveKey(entry.Key) ? RedactedValue : Redact(entry.Value, depth + 1)));
                return new DictionaryValue(entries);
        }
    }

    // Whether rendering the event's message would show a sensitive value: a placeholder with a sensitive name, or one
    // whose value holds one (or nests past the depth limit). Only the template's placeholders are looked at: the other properties are not rendered.
    public bool InMessage(LogEvent logEvent)
    {
        // Serilog keeps the tokens in an array: indexed, no enumerator per event.
        var tokens = logEvent.MessageTemplate.Tokens as MessageTemplateToken[] ?? logEvent.MessageTemplate.Tokens.ToArray();
        for (var i = 0; i < tokens.Length; i++)
        {
            if (tokens[i] is PropertyToken property && Shows(logEvent, property.PropertyName, this))
                return true;
        }
        return false;
    }

    static bool Shows(LogEvent logEvent, string name, PropertyRedactor redactor) =>
        logEvent.Properties.TryGetValue(name, out var value) && (redactor.IsSensitive(name) || redactor.Holds(value));

    // The event's properties as the message is rendered from: the SessionToken and every sensitive value as the marker,
    // values that hold sensitive names as redacted copies, looked up (and copied) only as the template asks for them.
    public IReadOnlyDictionary<string, LogEventPropertyValue> ForMessage(LogEvent logEvent) => new MessageProperties(logEvent.Properties, this);

    sealed class MessageProperties : IReadOnlyDictionary<string, LogEventPropertyValue>
    {
        readonly IReadOnlyDictionary<string, LogEventPropertyValue> _properties;
        readonly PropertyRedactor _redactor;

        public MessageProperties(IReadOnlyDictionary<string, LogEventPropertyValue> properties, PropertyRedactor redactor)
        {
            _properties = properties;
            _redactor = redactor;
        }

        public LogEventPropertyValue this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

        public IEnumerable<string> Keys => _properties.Keys;

        public IEnumerable<LogEventPropertyValue> Values
        {
            get
            {
                foreach (var pair in this)
                    yield return pair.Value;
            }
        }

        public int Count => _properties.Count;

        public bool ContainsKey(string key) => _properties.ContainsKey(key);

        public bool TryGetValue(string key, out LogEventPropertyValue value)
        {
            if (!_properties.TryGetValue(key, out value!))
                return false;
            value = Redacted(key, value);
            return true;
        }

        LogEventPropertyValue Redacted(string key, LogEventPropertyValue value) =>
            key == LogTraceProperties.SessionToken || _redactor.IsSensitive(key) ? RedactedValue : _redactor.Redact(value);

        public IEnumerator<KeyValuePair<string, LogEventPropertyValue>> GetEnumerator()
        {
            foreach (var pair in _properties)
                yield return new KeyValuePair<string, LogEventPropertyValue>(pair.Key, Redacted(pair.Key, pair.Value));
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
