using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Encodings.Web;
using System.Text.Json;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Delivery;

namespace Serilog.Sinks.LogTrace.Formatting;

enum FormatOutcome
{
    Formatted,
    NotAnEvent,
    NoUser,
    InvalidEventName,
}

// Writes one LogTrace event body straight from the LogEvent with Utf8JsonWriter: no DTO graph per event. Field
// names and rules follow the service (docs/logtrace-api.md), not the public docs or the SDKs.
sealed class LogTraceEventFormatter
{
    internal const string MessageKey = "message";
    internal const string LevelKey = "level";
    internal const string ExceptionKey = "exception";
    internal const string TruncatedKey = "_truncated";
    // A unique id per event, the same on every retry, so a duplicate (a timed-out request the service did store,
    // sent again) can be recognised downstream.
    internal const string EventIdKey = "_event_id";
    internal const string TraceIdKey = "trace_id";
    internal const string SpanIdKey = "span_id";
    const int MaxOmittedNamesListed = 10;

    static readonly JsonWriterOptions WriterOptions = new()
    {
        // The body goes to an API, never into HTML: relaxed escaping keeps non-ASCII text readable and the body small.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    readonly string? _defaultEventType;
    readonly string? _fallbackUserName;
    readonly int _maxMetadataBytes;
    readonly TextSanitizer _text;
    readonly PropertyValueWriter _values;
    readonly RequestHeadersWriter _headers;
    readonly Func<string> _newEventId;

    public LogTraceEventFormatter(string? apiKey, string? defaultEventType, string? fallbackUserName, int maxStringLength, int maxMetadataBytes,
        Func<string>? newEventId = null)
    {
        _newEventId = newEventId ?? NewEventId;
        _text = new TextSanitizer(apiKey, maxStringLength);
        _values = new PropertyValueWriter(_text);
        _headers = new RequestHeadersWriter(_text);
        // Cleaned where they are written, like every other value.
        _defaultEventType = string.IsNullOrEmpty(defaultEventType) ? null : defaultEventType;
        _fallbackUserName = string.IsNullOrEmpty(fallbackUserName) ? null : fallbackUserName;
        _maxMetadataBytes = maxMetadataBytes;
    }

    internal TextSanitizer Text => _text;

    // Time-ordered where the runtime offers it (version 7), so ids sort roughly by creation.
    static string NewEventId() =>
#if NET9_0_OR_GREATER
        Guid.CreateVersion7().ToString("D");
#else
        Guid.NewGuid().ToString("D");
#endif

    // The cheap test the filter in front of the queue uses: presence, and not null or blank.
    internal static bool HasEventName(LogEvent logEvent) =>
        logEvent.Properties.TryGetValue(LogTraceProperties.EventName, out var value) &&
        value is not ScalarValue { Value: null } &&
        !(value is ScalarValue { Value: string s } && IsBlank(s));

    static bool IsBlank(string s)
    {
        foreach (var c in s)
        {
            if (!char.IsWhiteSpace(c))
                return false;
        }
        return true;
    }

    public FormatOutcome Format(LogEvent logEvent, FormatBuffers buffers)
    {
        buffers.Reset();
        if (!logEvent.Properties.TryGetValue(LogTraceProperties.EventName, out var nameValue))
            return FormatOutcome.NotAnEvent;
        if (nameValue is not ScalarValue nameScalar)
            return FormatOutcome.InvalidEventName;
        var name = PropertyValueWriter.ScalarToString(nameScalar.Value);
        if (name == null || IsBlank(name))
            return FormatOutcome.NotAnEvent;

        var fields = new KnownFields();
        foreach (var property in logEvent.Properties)
            fields.Take(property.Key, property.Value);

        // The request's final values, when the request has ended; the event's own StatusCode and Elapsed win.
        if (fields.Completion is { Completed.IsCompleted: true } completion)
        {
            fields.StatusCode ??= completion.StatusCode;
            if (fields.Elapsed == null && completion.Duration is { } duration)
                fields.Elapsed = FormatMilliseconds(duration.TotalMilliseconds);
        }

        var userId = fields.UserId;
        var userName = fields.UserName;
        if (userId == null && userName == null)
        {
            if (_fallbackUserName == null)
                return FormatOutcome.NoUser;
            userName = _fallbackUserName;
        }

        var writer = buffers.OutputWriter;
        writer.WriteStartObject();
        writer.WriteString("name", _text.Clean(name));
        if (userId != null)
            writer.WriteString("user_id", _text.Clean(userId));
        if (userName != null)
            writer.WriteString("username", _text.Clean(userName));
        var type = fields.EventType ?? _defaultEventType;
        if (type != null)
            writer.WriteString("type", _text.Clean(type));

        writer.WritePropertyName("metadata");
        WriteMetadata(writer, logEvent, fields.Consumed, buffers);

        writer.WritePropertyName("request_details");
        WriteRequestDetails(writer, logEvent, ref fields);

        writer.WriteEndObject();
        writer.Flush();
        return FormatOutcome.Formatted;
    }

    void WriteRequestDetails(Utf8JsonWriter writer, LogEvent logEvent, ref KnownFields fields)
    {
        writer.WriteStartObject();
        // Always present and never empty: events can reach the service long after they happened, and an empty
        // string makes the service reject the whole body.
        writer.WriteString("timestamp", logEvent.Timestamp.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        WriteIfPresent(writer, "http_method", fields.RequestMethod);
        WriteIfPresent(writer, "http_endpoint", fields.HttpEndpoint ?? fields.RequestPath);
        if (fields.StatusCode is { } status)
            writer.WriteNumber("http_status_code", status);
        WriteIfPresent(writer, "ip_address", fields.ClientIp);
        WriteIfPresent(writer, "operating_system", fields.OperatingSystem);
        WriteIfPresent(writer, "client_user_agent", fields.UserAgent);
        if (fields.RequestHeaders != null)
        {
            writer.WritePropertyName("request_headers");
            _headers.Write(writer, fields.RequestHeaders);
        }
        WriteIfPresent(writer, "request_duration", fields.Elapsed);
        WriteIfPresent(writer, "request_id", fields.RequestId);
        writer.WriteEndObject();
    }

    void WriteIfPresent(Utf8JsonWriter writer, string name, string? value)
    {
        if (value != null)
            writer.WriteString(name, _text.Clean(value));
    }

    void WriteMetadata(Utf8JsonWriter writer, LogEvent logEvent, int consumed, FormatBuffers buffers)
    {
        var budget = new MetadataBudget(_maxMetadataBytes);
        writer.WriteStartObject();
        // Outside the budget: the id is small, and is what makes retries safe to deduplicate.
        writer.WriteString(EventIdKey, _newEventId());

        AddMetadataString(writer, buffers, ref budget, MessageKey, logEvent.RenderMessage(CultureInfo.InvariantCulture));
        AddMetadataString(writer, buffers, ref budget, LevelKey, LevelName(logEvent.Level));
        if (logEvent.Exception != null)
            AddMetadataString(writer, buffers, ref budget, ExceptionKey, ExceptionText(logEvent.Exception));
        // Serilog records the current Activity's W3C ids on each event.
        if (logEvent.TraceId is { } traceId)
            AddMetadataString(writer, buffers, ref budget, TraceIdKey, traceId.ToHexString());
        if (logEvent.SpanId is { } spanId)
            AddMetadataString(writer, buffers, ref budget, SpanIdKey, spanId.ToHexString());

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
            writer.WriteString(TruncatedKey, string.Format(CultureInfo.InvariantCulture,
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
        propertyName is MessageKey or LevelKey or ExceptionKey or TruncatedKey or EventIdKey or TraceIdKey or SpanIdKey ? "_" + propertyName : propertyName;

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

    // The properties that feed LogTrace fields. A property is "consumed" (kept out of metadata) only when its value
    // could be used for its field; a value of the wrong shape stays in metadata so nothing is lost.
    struct KnownFields
    {
        const int EventNameIndex = 0, UserIdIndex = 1, UserNameIndex = 2, EventTypeIndex = 3, RequestMethodIndex = 4,
            RequestPathIndex = 5, StatusCodeIndex = 6, ElapsedIndex = 7, RequestIdIndex = 8, ClientIpIndex = 9,
            UserAgentIndex = 10, OperatingSystemIndex = 11, RequestHeadersIndex = 12, RequestCompletionIndex = 13, HttpEndpointIndex = 14;

        public int Consumed;
        public string? UserId, UserName, EventType, RequestMethod, RequestPath, HttpEndpoint, Elapsed, RequestId, ClientIp, UserAgent, OperatingSystem;
        public int? StatusCode;
        public LogEventPropertyValue? RequestHeaders;
        public LogTraceRequestContext? Completion;

        public static int IndexOf(string name) => name switch
        {
            LogTraceProperties.EventName => EventNameIndex,
            LogTraceProperties.UserId => UserIdIndex,
            LogTraceProperties.UserName => UserNameIndex,
            LogTraceProperties.EventType => EventTypeIndex,
            LogTraceProperties.RequestMethod => RequestMethodIndex,
            LogTraceProperties.RequestPath => RequestPathIndex,
            LogTraceProperties.StatusCode => StatusCodeIndex,
            LogTraceProperties.Elapsed => ElapsedIndex,
            LogTraceProperties.RequestId => RequestIdIndex,
            LogTraceProperties.ClientIp => ClientIpIndex,
            LogTraceProperties.UserAgent => UserAgentIndex,
            LogTraceProperties.OperatingSystem => OperatingSystemIndex,
            LogTraceProperties.RequestHeaders => RequestHeadersIndex,
            LogTraceProperties.RequestContext => RequestCompletionIndex,
            LogTraceProperties.HttpEndpoint => HttpEndpointIndex,
            _ => -1,
        };

        public void Take(string name, LogEventPropertyValue value)
        {
            var index = IndexOf(name);
            if (index < 0)
                return;

            var used = index switch
            {
                EventNameIndex => true,
                UserIdIndex => TakeText(value, out UserId),
                UserNameIndex => TakeText(value, out UserName),
                EventTypeIndex => TakeText(value, out EventType),
                RequestMethodIndex => TakeText(value, out RequestMethod),
                RequestPathIndex => TakeText(value, out RequestPath),
                StatusCodeIndex => TakeStatusCode(value, out StatusCode),
                ElapsedIndex => TakeDuration(value, out Elapsed),
                RequestIdIndex => TakeText(value, out RequestId),
                ClientIpIndex => TakeIp(value, out ClientIp),
                UserAgentIndex => TakeText(value, out UserAgent),
                OperatingSystemIndex => TakeText(value, out OperatingSystem),
                RequestHeadersIndex => TakeHeaders(value, out RequestHeaders),
                HttpEndpointIndex => TakeText(value, out HttpEndpoint),
                RequestCompletionIndex => TakeRequestContext(value, out Completion),
                _ => false,
            };

            if (used)
                Consumed |= 1 << index;
        }

        // The sink's own property (never metadata); the request is null when the event no longer belongs to it.
        static bool TakeRequestContext(LogEventPropertyValue value, out LogTraceRequestContext? context)
        {
            var binding = (value as ScalarValue)?.Value as RequestBinding;
            context = binding?.Context;
            return binding != null;
        }

        static bool TakeText(LogEventPropertyValue value, out string? text)
        {
            text = value is ScalarValue scalar ? PropertyValueWriter.ScalarToString(scalar.Value) : null;
            if (text is { Length: 0 })
                text = null;
            return text != null;
        }

        static bool TakeStatusCode(LogEventPropertyValue value, out int? status)
        {
            status = (value as ScalarValue)?.Value switch
            {
                int i => i,
                long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
                short s => s,
                ushort us => us,
                byte b => b,
                uint ui when ui <= int.MaxValue => (int)ui,
                HttpStatusCode code => (int)code,
                double d when d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue => (int)d,
                decimal m when m == decimal.Floor(m) && m is >= int.MinValue and <= int.MaxValue => (int)m,
                string s when int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
                _ => null,
            };
            return status != null;
        }

        static bool TakeDuration(LogEventPropertyValue value, out string? duration)
        {
            double? milliseconds = (value as ScalarValue)?.Value switch
            {
                double d => d,
                float f => f,
                decimal m => (double)m,
                int i => i,
                long l => l,
                TimeSpan ts => ts.TotalMilliseconds,
                _ => null,
            };

            if (milliseconds is { } ms && !double.IsNaN(ms) && !double.IsInfinity(ms))
                duration = FormatMilliseconds(ms);
            else if (value is ScalarValue { Value: string s } && s.Length > 0)
                duration = s;
            else
                duration = null;
            return duration != null;
        }

        static bool TakeIp(LogEventPropertyValue value, out string? ip)
        {
            if (!TakeText(value, out var text))
            {
                ip = null;
                return false;
            }

            ip = NormalizeIp(text!);
            return true;
        }

        static bool TakeHeaders(LogEventPropertyValue value, out LogEventPropertyValue? headers)
        {
            headers = value is DictionaryValue or StructureValue ? value : null;
            return headers != null;
        }
    }

    // The service derives geolocation from ip_address and wants it without a port; IPv4-mapped IPv6 addresses
    // ("::ffff:203.0.113.42", what dual-stack sockets report) are sent as the IPv4 address they carry.
    static string FormatMilliseconds(double milliseconds) => milliseconds.ToString("0.###", CultureInfo.InvariantCulture) + "ms";

    internal static string NormalizeIp(string text)
    {
        var candidate = text.Trim();
        if (candidate.StartsWith("[", StringComparison.Ordinal))
        {
            var close = candidate.IndexOf(']');
            if (close > 0)
                candidate = candidate.Substring(1, close - 1);
        }
        else if (candidate.IndexOf(':') is var colon and > 0 && candidate.IndexOf(':', colon + 1) < 0)
        {
            candidate = candidate.Substring(0, colon);
        }

        if (!IPAddress.TryParse(candidate, out var address))
            return text;
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
            address.ScopeId = 0;
        return address.ToString();
    }

    internal static JsonWriterOptions JsonOptions => WriterOptions;
}
