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
        _metadata = new MetadataWriter(_text, options.MaxMetadataBytes, newEventId ?? NewEventId);
        // Cleaned where they are written, like every other value.
        _defaultEventType = string.IsNullOrEmpty(options.DefaultEventType) ? null : options.DefaultEventType;
        _fallbackUserName = string.IsNullOrEmpty(options.FallbackUserName) ? null : options.FallbackUserName;
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
        try
        {
            if (fields.Completion is { Completed.IsCompleted: true } completion)
            {
                fields.StatusCode ??= completion.StatusCode;
                if (fields.Elapsed == null && completion.Duration is { } duration)
                    fields.Elapsed = FormatMilliseconds(duration.TotalMilliseconds);
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
        writer.WriteString("name", _text.Clean(name));
        if (userId != null)
            writer.WriteString("user_id", _text.Clean(userId));
        if (userName != null)
            writer.WriteString("username", _text.Clean(userName));
        var type = fields.EventType ?? _defaultEventType;
        if (type != null)
            writer.WriteString("type", _text.Clean(type));

        writer.WritePropertyName("metadata");
        _metadata.Write(writer, logEvent, fields.Consumed, buffers);

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

    internal static string FormatMilliseconds(double milliseconds) => milliseconds.ToString("0.###", CultureInfo.InvariantCulture) + "ms";

    internal static JsonWriterOptions JsonOptions => WriterOptions;
}
