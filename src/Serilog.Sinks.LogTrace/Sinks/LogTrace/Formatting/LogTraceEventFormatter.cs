using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Configuration;
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

    static readonly JsonWriterOptions WriterOptions = new()
    {
        // The body goes to an API, never into HTML: relaxed escaping keeps non-ASCII text readable and the body small.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    // Field names encoded once, not escaped and transcoded for every event.
    static readonly JsonEncodedText ClientUserAgentName = JsonEncodedText.Encode("client_user_agent");
    static readonly JsonEncodedText HttpEndpointName = JsonEncodedText.Encode("http_endpoint");
    static readonly JsonEncodedText HttpMethodName = JsonEncodedText.Encode("http_method");
    static readonly JsonEncodedText HttpStatusCodeName = JsonEncodedText.Encode("http_status_code");
    static readonly JsonEncodedText IpAddressName = JsonEncodedText.Encode("ip_address");
    static readonly JsonEncodedText MetadataName = JsonEncodedText.Encode("metadata");
    static readonly JsonEncodedText NameName = JsonEncodedText.Encode("name");
    static readonly JsonEncodedText OperatingSystemName = JsonEncodedText.Encode("operating_system");
    static readonly JsonEncodedText RequestDetailsName = JsonEncodedText.Encode("request_details");
    static readonly JsonEncodedText RequestDurationName = JsonEncodedText.Encode("request_duration");
    static readonly JsonEncodedText RequestHeadersName = JsonEncodedText.Encode("request_headers");
    static readonly JsonEncodedText RequestIdName = JsonEncodedText.Encode("request_id");
    static readonly JsonEncodedText TimestampName = JsonEncodedText.Encode("timestamp");
    static readonly JsonEncodedText TypeName = JsonEncodedText.Encode("type");
    static readonly JsonEncodedText UserIdName = JsonEncodedText.Encode("user_id");
    static readonly JsonEncodedText UsernameName = JsonEncodedText.Encode("username");

    readonly string? _defaultEventType;
    readonly string? _fallbackUserName;
    readonly TextSanitizer _text;
    readonly RequestHeadersWriter _headers;
    readonly MetadataWriter _metadata;

    public LogTraceEventFormatter(LogTraceSinkSettings settings, Func<string>? newEventId = null)
    {
        var options = settings.Options;
        _text = new TextSanitizer(settings.ApiKey, options.MaxStringLength);
        _headers = new RequestHeadersWriter(_text);
        _metadata = new MetadataWriter(_text, options.MaxMetadataBytes, newEventId);
        // Cleaned where they are written, like every other value.
        _defaultEventType = string.IsNullOrEmpty(options.DefaultEventType) ? null : options.DefaultEventType;
        _fallbackUserName = string.IsNullOrEmpty(options.FallbackUserName) ? null : options.FallbackUserName;
    }

    internal TextSanitizer Text => _text;

    // The cheap test the filter in front of the queue uses: presence, and not null or blank.
    // It runs for every log line the application writes, so the usual case (no EventName) is one lookup in the
    // concrete dictionary (always the type with Serilog 4; no interface call), and nothing else.
    internal static bool HasEventName(LogEvent logEvent)
    {
        LogEventPropertyValue? value;
        if (logEvent.Properties is Dictionary<string, LogEventPropertyValue> properties)
        {
            if (!properties.TryGetValue(LogTraceProperties.EventName, out value))
                return false;
        }
        else if (!logEvent.Properties.TryGetValue(LogTraceProperties.EventName, out value))
        {
            return false;
        }
        return value is not ScalarValue { Value: null } && !(value is ScalarValue { Value: string s } && IsBlank(s));
    }

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
        // Through the concrete dictionary where it is one (always, with Serilog 4): its enumerator allocates nothing.
        if (logEvent.Properties is Dictionary<string, LogEventPropertyValue> properties)
        {
            foreach (var property in properties)
                fields.Take(property.Key, property.Value);
        }
        else
        {
            foreach (var property in logEvent.Properties)
                fields.Take(property.Key, property.Value);
        }

        // The request's final values, when the request has ended; the event's own StatusCode and Elapsed win.
        try
        {
            if (fields.Completion is { Completed.IsCompleted: true } completion)
            {
                fields.StatusCode ??= completion.StatusCode;
                if (!fields.HasElapsed && completion.Duration is { } duration)
                    fields.ElapsedMilliseconds = duration.TotalMilliseconds;
            }
        }
        catch (Exception)
        {
            // A request context that cannot say how its request ended: the event goes without those two fields.
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
        writer.WriteString(NameName, _text.Clean(name));
        if (userId != null)
            writer.WriteString(UserIdName, _text.Clean(userId));
        if (userName != null)
            writer.WriteString(UsernameName, _text.Clean(userName));
        var type = fields.EventType ?? _defaultEventType;
        if (type != null)
            writer.WriteString(TypeName, _text.Clean(type));

        writer.WritePropertyName(MetadataName);
        _metadata.Write(writer, logEvent, fields.Consumed, buffers);

        writer.WritePropertyName(RequestDetailsName);
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
        WriteTimestamp(writer, logEvent.Timestamp.UtcDateTime);
        WriteIfPresent(writer, HttpMethodName, fields.RequestMethod);
        WriteIfPresent(writer, HttpEndpointName, fields.HttpEndpoint ?? fields.RequestPath);
        if (fields.StatusCode is { } status)
            writer.WriteNumber(HttpStatusCodeName, status);
        WriteIfPresent(writer, IpAddressName, fields.ClientIp);
        WriteIfPresent(writer, OperatingSystemName, fields.OperatingSystem);
        WriteIfPresent(writer, ClientUserAgentName, fields.UserAgent);
        if (fields.RequestHeaders != null)
        {
            writer.WritePropertyName(RequestHeadersName);
            _headers.Write(writer, fields.RequestHeaders);
        }
        if (fields.ElapsedText != null)
            WriteIfPresent(writer, RequestDurationName, fields.ElapsedText);
        else if (fields.ElapsedMilliseconds is { } milliseconds)
            WriteMilliseconds(writer, RequestDurationName, milliseconds);
        WriteIfPresent(writer, RequestIdName, fields.RequestId);
        writer.WriteEndObject();
    }

    void WriteIfPresent(Utf8JsonWriter writer, JsonEncodedText name, string? value)
    {
        if (value != null)
            writer.WriteString(name, _text.Clean(value));
    }

    internal static string FormatMilliseconds(double milliseconds) => milliseconds.ToString(MillisecondsFormat, CultureInfo.InvariantCulture) + "ms";

    const string MillisecondsFormat = "0.###";

    // The same text as FormatMilliseconds, cleaned like every other value (a tiny maxStringLength cuts it, and a key
    // made of digits is redacted from it), written without a string per event when it needs no cleaning. Not "F3"
    // without trailing zeros: "0.###" rounds the 15-digit form, so 1.0005 is "1.001", not "1".
    void WriteMilliseconds(Utf8JsonWriter writer, JsonEncodedText name, double milliseconds)
    {
#if NET8_0_OR_GREATER
        Span<char> text = stackalloc char[64];
        if (milliseconds.TryFormat(text, out var length, MillisecondsFormat, CultureInfo.InvariantCulture) && length + 2 <= text.Length)
        {
            text[length] = 'm';
            text[length + 1] = 's';
            var formatted = text.Slice(0, length + 2);
            if (!_text.NeedsCleaning(formatted))
            {
                writer.WriteString(name, formatted);
                return;
            }
        }
#endif
        writer.WriteString(name, _text.Clean(FormatMilliseconds(milliseconds)));
    }

    static void WriteTimestamp(Utf8JsonWriter writer, DateTime utc)
    {
#if NET8_0_OR_GREATER
        Span<char> text = stackalloc char[40];
        if (utc.TryFormat(text, out var length, "O", CultureInfo.InvariantCulture))
        {
            writer.WriteString(TimestampName, text.Slice(0, length));
            return;
        }
#endif
        writer.WriteString(TimestampName, utc.ToString("O", CultureInfo.InvariantCulture));
    }

    internal static JsonWriterOptions JsonOptions => WriterOptions;
}
