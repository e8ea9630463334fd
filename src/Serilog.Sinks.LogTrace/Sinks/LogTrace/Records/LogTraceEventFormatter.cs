using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Configuration;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Sending;

namespace Serilog.Sinks.LogTrace.Records;

enum FormatOutcome
{
    Formatted,
    NotAnEvent,
    NoUser,
    // The marker (EventName or AuditLogName) is not a scalar value.
    InvalidName,
    InvalidSessionStatus,
    // A sign-out without a SessionToken.
    NoToken,
    // A SessionToken that cleaning would change (cut at maxStringLength, the API key or a lone surrogate in it), or one
    // with no text (a sequence, a ToString() that throws): an altered token names no session, so it is never sent.
    InvalidToken,
}

// Writes one LogTrace record body (an event, an audit log, a session or a sign-out) straight from the LogEvent with
// Utf8JsonWriter: no DTO graph per event. Field names and rules follow the service (docs/logtrace-api.md), not the
// public docs or the SDKs. Which kind a log event is comes from its marker properties (RecordKinds).
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
    static readonly JsonEncodedText DescriptionName = JsonEncodedText.Encode("description");
    static readonly JsonEncodedText LoginAtName = JsonEncodedText.Encode("login_at");
    static readonly JsonEncodedText MetadataName = JsonEncodedText.Encode("metadata");
    static readonly JsonEncodedText NameName = JsonEncodedText.Encode("name");
    static readonly JsonEncodedText RequestDetailsName = JsonEncodedText.Encode("request_details");
    static readonly JsonEncodedText StatusName = JsonEncodedText.Encode("status");
    static readonly JsonEncodedText TokenName = JsonEncodedText.Encode("token");
    static readonly JsonEncodedText TypeName = JsonEncodedText.Encode("type");
    static readonly JsonEncodedText UserIdName = JsonEncodedText.Encode("user_id");
    static readonly JsonEncodedText UsernameName = JsonEncodedText.Encode("username");

    readonly string? _defaultEventType;
    readonly string? _fallbackUserName;
    readonly TextSanitizer _text;
    readonly RequestDetailsWriter _requestDetails;
    readonly MetadataWriter _metadata;
    readonly PropertyRedactor _redactor;

    public LogTraceEventFormatter(LogTraceSinkSettings settings, Func<string>? newEventId = null)
    {
        var options = settings.Options;
        _text = new TextSanitizer(settings.ApiKey, options.MaxStringLength);
        _requestDetails = new RequestDetailsWriter(_text);
        _redactor = new PropertyRedactor(options.SensitiveProperties);
        _metadata = new MetadataWriter(_text, _redactor, options.MaxMetadataBytes, newEventId);
        BeforeSend = BeforeSendHook.From(settings, _text);
        // Cleaned where they are written, like every other value.
        _defaultEventType = string.IsNullOrEmpty(options.DefaultEventType) ? null : options.DefaultEventType;
        _fallbackUserName = string.IsNullOrEmpty(options.FallbackUserName) ? null : options.FallbackUserName;
    }

    internal TextSanitizer Text => _text;

    // The application's hook over each body this formatter makes (LogTraceSinkOptions.BeforeSend), run by
    // EventDelivery.TryFormat, the one place both outboxes format a record; null when none is configured.
    internal BeforeSendHook? BeforeSend { get; }

    public FormatOutcome Format(LogEvent logEvent, FormatBuffers buffers) => Format(logEvent, null, buffers, out _);

    public FormatOutcome Format(LogEvent logEvent, FormatBuffers buffers, out RecordKind kind) => Format(logEvent, null, buffers, out kind);

    // The body goes to the route of `kind`, which is known whatever the outcome once the event carries a marker.
    // request: the request the record was logged in (PendingRecord.Request), for its final status code and duration.
    public FormatOutcome Format(LogEvent logEvent, LogTraceRequestContext? request, FormatBuffers buffers, out RecordKind kind)
    {
        buffers.Reset();
        if (!RecordKinds.TryGetMarker(logEvent, out kind, out var marker))
            return FormatOutcome.NotAnEvent;

        string? name = null;
        var status = SessionStatus.Invalid;
        if (kind == RecordKind.Session)
        {
            status = SessionStatuses.Parse(marker);
            if (status == SessionStatus.Logout)
                kind = RecordKind.SessionLogout;
            else if (status == SessionStatus.Invalid)
                return FormatOutcome.InvalidSessionStatus;
        }
        else
        {
            if (marker is not ScalarValue nameScalar)
                return FormatOutcome.InvalidName;
            name = PropertyValueWriter.ScalarToString(nameScalar.Value);
            if (name == null || RecordKinds.IsBlank(name))
                return FormatOutcome.NotAnEvent;
        }

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
        fields.KeepFieldsOf(kind);

        var writer = buffers.OutputWriter;
        if (kind is RecordKind.Session or RecordKind.SessionLogout && (fields.SessionTokenUnreadable ||
            (fields.SessionToken != null && !string.Equals(_text.Clean(fields.SessionToken), fields.SessionToken, StringComparison.Ordinal))))
            return FormatOutcome.InvalidToken;
        if (kind == RecordKind.SessionLogout)
        {
            // The logout route takes the token and nothing else.
            if (fields.SessionToken == null)
                return FormatOutcome.NoToken;
            writer.WriteStartObject();
            writer.WriteString(TokenName, fields.SessionToken);
            writer.WriteEndObject();
            writer.Flush();
            return FormatOutcome.Formatted;
        }

        // The request's final values, when the request has ended; the event's own StatusCode and Elapsed win.
        try
        {
            if (request is { Completed.IsCompleted: true } completion)
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

        writer.WriteStartObject();
        if (kind == RecordKind.Session)
        {
            // When the session began: the event's SessionLoginAt, or the time the event was logged.
            RequestDetailsWriter.WriteTime(writer, LoginAtName, fields.SessionLoginAt ?? logEvent.Timestamp);
            writer.WriteString(StatusName, SessionStatuses.WireValue(status));
        }
        else
        {
            writer.WriteString(NameName, _text.Clean(name!));
        }
        if (userId != null)
            writer.WriteString(UserIdName, _text.Clean(userId));
        if (userName != null)
            writer.WriteString(UsernameName, _text.Clean(userName));

        var messageInMetadata = true;
        switch (kind)
        {
            case RecordKind.Event:
                var type = fields.EventType ?? _defaultEventType;
                if (type != null)
                    writer.WriteString(TypeName, _text.Clean(type));
                break;
            case RecordKind.AuditLog:
                // The rendered message is the audit log's description, and is not repeated in its metadata.
                WriteDescription(writer, logEvent, buffers, fields.SessionToken);
                messageInMetadata = false;
                break;
            default:
                if (fields.SessionToken != null)
                    writer.WriteString(TokenName, fields.SessionToken);
                break;
        }

        writer.WritePropertyName(MetadataName);
        _metadata.Write(writer, logEvent, fields.Consumed, buffers, messageInMetadata, fields.SessionToken);

        writer.WritePropertyName(RequestDetailsName);
        _requestDetails.Write(writer, logEvent, ref fields, buffers.Names);

        writer.WriteEndObject();
        writer.Flush();
        return FormatOutcome.Formatted;
    }

    void WriteDescription(Utf8JsonWriter writer, LogEvent logEvent, FormatBuffers buffers, string? token)
    {
        if (token != null || _redactor.InMessage(logEvent))
        {
            writer.WriteString(DescriptionName, _text.Clean(SessionTokens.RenderMessage(logEvent, buffers.Message, token, _text, _redactor)));
            return;
        }
        var message = buffers.Message.Render(logEvent);
        if (_text.NeedsCleaning(message))
            writer.WriteString(DescriptionName, _text.Clean(message.ToString()));
        else
            writer.WriteString(DescriptionName, message);
    }

    internal static JsonWriterOptions JsonOptions => WriterOptions;
}
