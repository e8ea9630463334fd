using System;
using System.Globalization;
using System.Text.Json;
using Serilog.Events;

namespace Serilog.Sinks.LogTrace.Records;

// Writes request_details, the same object for events, audit logs and sessions: the event's own time, and the
// request's method, endpoint, status, client, headers, duration and id where the event has them.
sealed class RequestDetailsWriter
{
    static readonly JsonEncodedText ClientUserAgentName = JsonEncodedText.Encode("client_user_agent");
    static readonly JsonEncodedText HttpEndpointName = JsonEncodedText.Encode("http_endpoint");
    static readonly JsonEncodedText HttpMethodName = JsonEncodedText.Encode("http_method");
    static readonly JsonEncodedText HttpStatusCodeName = JsonEncodedText.Encode("http_status_code");
    static readonly JsonEncodedText IpAddressName = JsonEncodedText.Encode("ip_address");
    static readonly JsonEncodedText OperatingSystemName = JsonEncodedText.Encode("operating_system");
    static readonly JsonEncodedText RequestDurationName = JsonEncodedText.Encode("request_duration");
    static readonly JsonEncodedText RequestHeadersName = JsonEncodedText.Encode("request_headers");
    static readonly JsonEncodedText RequestIdName = JsonEncodedText.Encode("request_id");
    static readonly JsonEncodedText TimestampName = JsonEncodedText.Encode("timestamp");

    const string MillisecondsFormat = "0.###";

    readonly TextSanitizer _text;
    readonly RequestHeadersWriter _headers;

    public RequestDetailsWriter(TextSanitizer text)
    {
        _text = text;
        _headers = new RequestHeadersWriter(text);
    }

    public void Write(Utf8JsonWriter writer, LogEvent logEvent, ref KnownFields fields, UniqueNames names)
    {
        writer.WriteStartObject();
        // Always present and never empty: events can reach the service long after they happened, and an empty
        // string makes the service reject the whole body.
        WriteTime(writer, TimestampName, logEvent.Timestamp);
        WriteIfPresent(writer, HttpMethodName, fields.RequestMethod);
        WriteIfPresent(writer, HttpEndpointName, RedactQuery(fields.HttpEndpoint ?? fields.RequestPath));
        if (fields.StatusCode is { } status)
            writer.WriteNumber(HttpStatusCodeName, status);
        WriteIfPresent(writer, IpAddressName, fields.ClientIp);
        WriteIfPresent(writer, OperatingSystemName, fields.OperatingSystem);
        WriteIfPresent(writer, ClientUserAgentName, fields.UserAgent);
        if (fields.RequestHeaders != null)
        {
            writer.WritePropertyName(RequestHeadersName);
            _headers.Write(writer, fields.RequestHeaders, names);
        }
        if (fields.ElapsedText != null)
            WriteIfPresent(writer, RequestDurationName, fields.ElapsedText);
        else if (fields.ElapsedMilliseconds is { } milliseconds)
            WriteMilliseconds(writer, RequestDurationName, milliseconds);
        WriteIfPresent(writer, RequestIdName, fields.RequestId);
        writer.WriteEndObject();
    }

    // Whoever set the endpoint (the application's own RequestPath, another integration), its query's sensitive
    // parameters are redacted on the wire, as the headers' are. Already redacted values come back unchanged.
    static string? RedactQuery(string? endpoint) => endpoint == null ? null : LogTraceRedaction.RedactUrl(endpoint);

    void WriteIfPresent(Utf8JsonWriter writer, JsonEncodedText name, string? value)
    {
        if (value != null)
            writer.WriteString(name, _text.Clean(value));
    }

    internal static string FormatMilliseconds(double milliseconds) => milliseconds.ToString(MillisecondsFormat, CultureInfo.InvariantCulture) + "ms";

    // The same text as FormatMilliseconds, cleaned like every other value (a tiny maxStringLength cuts it, and a key
    // made of digits is redacted from it), written without a string per event when it needs no cleaning. Not "F3"
    // without trailing zeros: "0.###" rounds the 15-digit form, so 1.0005 is "1.001", not "1".
    void WriteMilliseconds(Utf8JsonWriter writer, JsonEncodedText name, double milliseconds)
    {
#if NET8_0_OR_GREATER
        Span<char> text = stackalloc char[64];
        if ((DurationText.TryWrite(milliseconds, text, out var length) ||
             milliseconds.TryFormat(text, out length, MillisecondsFormat, CultureInfo.InvariantCulture)) && length + 2 <= text.Length)
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

    // An RFC 3339 time in UTC, with seven decimals (round-trip format), written without a string where it can be.
    internal static void WriteTime(Utf8JsonWriter writer, JsonEncodedText name, DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
#if NET8_0_OR_GREATER
        Span<char> text = stackalloc char[40];
        if (utc.TryFormat(text, out var length, "O", CultureInfo.InvariantCulture))
        {
            writer.WriteString(name, text.Slice(0, length));
            return;
        }
#endif
        writer.WriteString(name, utc.ToString("O", CultureInfo.InvariantCulture));
    }
}
