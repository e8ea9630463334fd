using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using Serilog.Events;

namespace Serilog.Sinks.LogTrace.Records;

// The properties that feed LogTrace fields. A property is "consumed" (kept out of metadata) only when its value
// could be used for its field; a value of the wrong shape stays in metadata so nothing is lost.
struct KnownFields
{
    const int EventNameIndex = 0, UserIdIndex = 1, UserNameIndex = 2, EventTypeIndex = 3, RequestMethodIndex = 4,
        RequestPathIndex = 5, StatusCodeIndex = 6, ElapsedIndex = 7, RequestIdIndex = 8, ClientIpIndex = 9,
        UserAgentIndex = 10, OperatingSystemIndex = 11, RequestHeadersIndex = 12, HttpEndpointIndex = 14,
        AuditLogNameIndex = 15, SessionStatusIndex = 16, SessionTokenIndex = 17, SessionLoginAtIndex = 18;

    // The fields a kind of record has no place for: their properties stay in its metadata (the markers that lost to
    // another by precedence among them). SessionToken is never metadata, whatever the kind.
    const int EventOnly = 1 << EventNameIndex | 1 << EventTypeIndex, AuditLogOnly = 1 << AuditLogNameIndex,
        SessionOnly = 1 << SessionStatusIndex | 1 << SessionLoginAtIndex;

    public int Consumed;
    public string? UserId, UserName, EventType, RequestMethod, RequestPath, HttpEndpoint, RequestId, ClientIp, UserAgent, OperatingSystem;
    // The duration as given: a number of milliseconds (written as "12.5ms"), or text sent as it is.
    public double? ElapsedMilliseconds;
    public string? ElapsedText;
    public int? StatusCode;
    public LogEventPropertyValue? RequestHeaders;
    public string? SessionToken;
    // A SessionToken that is there but has no text: a sequence or structure (a char[] as Serilog captures it), or a
    // value whose ToString() throws. Never replaced by a stand-in: such a session is not sent.
    public bool SessionTokenUnreadable;
    public DateTimeOffset? SessionLoginAt;

    // Gives the properties of fields this kind of record does not have back to metadata.
    public void KeepFieldsOf(RecordKind kind) => Consumed &= kind switch
    {
        RecordKind.Event => ~(AuditLogOnly | SessionOnly),
        RecordKind.AuditLog => ~(EventOnly | SessionOnly),
        _ => ~(EventOnly | AuditLogOnly),
    };

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
        LogTraceProperties.HttpEndpoint => HttpEndpointIndex,
        LogTraceProperties.AuditLogName => AuditLogNameIndex,
        LogTraceProperties.SessionStatus => SessionStatusIndex,
        LogTraceProperties.SessionToken => SessionTokenIndex,
        LogTraceProperties.SessionLoginAt => SessionLoginAtIndex,
        _ => -1,
    };

    public void Take(string name, LogEventPropertyValue value)
    {
        var index = IndexOf(name);
        if (index < 0)
            return;

        var used = index switch
        {
            EventNameIndex or AuditLogNameIndex or SessionStatusIndex => true,
            // A secret: kept out of metadata even when it cannot be used.
            SessionTokenIndex => TakeToken(value, out SessionToken, out SessionTokenUnreadable),
            SessionLoginAtIndex => TakeTime(value, out SessionLoginAt),
            UserIdIndex => TakeText(value, out UserId),
            UserNameIndex => TakeText(value, out UserName),
            EventTypeIndex => TakeText(value, out EventType),
            RequestMethodIndex => TakeText(value, out RequestMethod),
            RequestPathIndex => TakeText(value, out RequestPath),
            StatusCodeIndex => TakeStatusCode(value, out StatusCode),
            ElapsedIndex => TakeDuration(value, out ElapsedMilliseconds, out ElapsedText),
            RequestIdIndex => TakeText(value, out RequestId),
            ClientIpIndex => TakeIp(value, out ClientIp),
            UserAgentIndex => TakeText(value, out UserAgent),
            OperatingSystemIndex => TakeText(value, out OperatingSystem),
            RequestHeadersIndex => TakeHeaders(value, out RequestHeaders),
            HttpEndpointIndex => TakeText(value, out HttpEndpoint),
            _ => false,
        };

        if (used)
            Consumed |= 1 << index;
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

    // A blank token is no token. A list of one string is that string: RecordSession's scope gives the token so, for its
    // ToString() to hide it from other ILogger providers (LogTraceLoggerExtensions.ScopedToken). Always true: the
    // property is a secret, kept out of metadata even when it cannot be used.
    // A session token's text as it is sent (LogTraceRecordState hides the same text from other providers): an
    // IFormattable in the invariant culture, else ToString(), which is the string itself for a string. May throw.
    internal static string? TokenText(object raw) =>
        raw is IFormattable formattable ? formattable.ToString(null, CultureInfo.InvariantCulture) : raw.ToString();

    static bool TakeToken(LogEventPropertyValue value, out string? token, out bool unreadable)
    {
        token = null;
        unreadable = false;
        if (value is SequenceValue { Elements: { Count: 1 } elements } && elements[0] is ScalarValue { Value: string } only)
            value = only;
        if (value is not ScalarValue { Value: { } raw })
        {
            unreadable = value is not ScalarValue;
            return true;
        }
        try
        {
            token = TokenText(raw);
        }
        catch (Exception)
        {
            unreadable = true;
            return true;
        }
        if (token != null && RecordKinds.IsBlank(token))
            token = null;
        return true;
    }

    static readonly string[] Rfc3339Formats = { "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK" };

    // A time, or an RFC 3339 string with its offset (nothing else is guessed at); a time that cannot be expressed in UTC
    // (DateTime.MinValue as local time east of Greenwich) is not one.
    static bool TakeTime(LogEventPropertyValue value, out DateTimeOffset? time)
    {
        try
        {
            time = (value as ScalarValue)?.Value switch
            {
                DateTimeOffset dto => dto,
                DateTime { Kind: DateTimeKind.Local } local => new DateTimeOffset(local),
                DateTime dt => new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)),
                string s when HasOffset(s) && DateTimeOffset.TryParseExact(s, Rfc3339Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) => parsed,
                _ => null,
            };
        }
        catch (ArgumentOutOfRangeException)
        {
            time = null;
        }
        return time != null;
    }

    static bool HasOffset(string s) =>
        s.EndsWith("Z", StringComparison.Ordinal) || (s.Length > 6 && s[s.Length - 6] is '+' or '-' && s[s.Length - 3] == ':');

    public readonly bool HasElapsed => ElapsedMilliseconds != null || ElapsedText != null;

    static bool TakeDuration(LogEventPropertyValue value, out double? number, out string? text)
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

        number = null;
        text = null;
        if (milliseconds is { } ms && !double.IsNaN(ms) && !double.IsInfinity(ms))
            number = ms;
        else if (value is ScalarValue { Value: string s } && s.Length > 0)
            text = s;
        return number != null || text != null;
    }

    static bool TakeIp(LogEventPropertyValue value, out string? ip)
    {
        if (!TakeText(value, out var text))
        {
            ip = null;
            return false;
        }

        ip = ClientAddress.Normalize(text!);
        return true;
    }

    static bool TakeHeaders(LogEventPropertyValue value, out LogEventPropertyValue? headers)
    {
        headers = value is DictionaryValue or StructureValue ? value : null;
        return headers != null;
    }
}
