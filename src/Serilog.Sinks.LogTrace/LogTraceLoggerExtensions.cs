using System;
using System.Collections;
using System.Collections.Generic;
using Serilog.Sinks.LogTrace;
using Serilog.Sinks.LogTrace.Records;

namespace Microsoft.Extensions.Logging;

/// <summary>
/// Records LogTrace events, audit logs and sessions through <see cref="ILogger"/> (Microsoft.Extensions.Logging) when
/// Serilog is the logging provider, in any host (a worker service needs only this package and Serilog's provider):
/// <c>logger.RecordEvent("invoice.created", "Invoice {InvoiceId} created", id)</c>,
/// <c>logger.RecordAuditLog("invoice.deleted", "Invoice {InvoiceId} deleted; was {@Before}", id, before)</c>,
/// <c>logger.RecordSession(LogTraceSessionStatus.Successful, token, "{UserName} signed in", name)</c>.
/// </summary>
public static class LogTraceLoggerExtensions
{
    /// <summary>Writes an Information log event that becomes the LogTrace event <paramref name="eventName"/>.</summary>
    /// <param name="logger">The logger.</param>
    /// <param name="eventName">The LogTrace event name, e.g. <c>invoice.created</c>.</param>
    /// <param name="message">The message template.</param>
    /// <param name="args">The template's property values.</param>
    public static void RecordEvent(this ILogger logger, string eventName, string? message, params object?[] args) =>
        RecordEvent(logger, LogLevel.Information, eventName, null, message, args);

    /// <summary>Writes a log event at <paramref name="level"/> that becomes the LogTrace event <paramref name="eventName"/>.</summary>
    /// <param name="logger">The logger.</param>
    /// <param name="level">The log level.</param>
    /// <param name="eventName">The LogTrace event name, e.g. <c>api_key.revoked</c>.</param>
    /// <param name="exception">An exception to attach, or <see langword="null"/>.</param>
    /// <param name="message">The message template.</param>
    /// <param name="args">The template's property values.</param>
    public static void RecordEvent(this ILogger logger, LogLevel level, string eventName, Exception? exception, string? message, params object?[] args)
    {
        if (logger == null) throw new ArgumentNullException(nameof(logger));
        if (string.IsNullOrWhiteSpace(eventName)) throw new ArgumentException("A LogTrace event needs a name, e.g. user.login.", nameof(eventName));

        // A scope around this one call: Serilog's provider turns key/value scope state into properties, and nothing
        // else logged in the meantime is marked as an event.
        using (logger.BeginScope(new MarkerScope(LogTraceProperties.EventName, eventName, null)))
            logger.Log(level, exception, message, args);
    }

    /// <summary>Writes an Information log event that becomes the LogTrace audit log <paramref name="auditLogName"/>: the
    /// rendered message is its <c>description</c>, and the template's properties its <c>metadata</c> (capture a before and
    /// after state with <c>{@Before}</c> and <c>{@After}</c> to send them as JSON objects).</summary>
    /// <param name="logger">The logger.</param>
    /// <param name="auditLogName">The LogTrace audit log name, e.g. <c>invoice.deleted</c>.</param>
    /// <param name="message">The message template.</param>
    /// <param name="args">The template's property values.</param>
    public static void RecordAuditLog(this ILogger logger, string auditLogName, string? message, params object?[] args) =>
        RecordAuditLog(logger, LogLevel.Information, auditLogName, null, message, args);

    /// <summary>Writes a log event at <paramref name="level"/> that becomes the LogTrace audit log <paramref name="auditLogName"/>.</summary>
    /// <param name="logger">The logger.</param>
    /// <param name="level">The log level.</param>
    /// <param name="auditLogName">The LogTrace audit log name, e.g. <c>role.granted</c>.</param>
    /// <param name="exception">An exception to attach, or <see langword="null"/>.</param>
    /// <param name="message">The message template.</param>
    /// <param name="args">The template's property values.</param>
    public static void RecordAuditLog(this ILogger logger, LogLevel level, string auditLogName, Exception? exception, string? message, params object?[] args)
    {
        if (logger == null) throw new ArgumentNullException(nameof(logger));
        if (string.IsNullOrWhiteSpace(auditLogName)) throw new ArgumentException("A LogTrace audit log needs a name, e.g. invoice.deleted.", nameof(auditLogName));

        using (logger.BeginScope(new MarkerScope(LogTraceProperties.AuditLogName, auditLogName, null)))
            logger.Log(level, exception, message, args);
    }

    /// <summary>Writes an Information log event that becomes a LogTrace session with <paramref name="status"/>, or, with
    /// <see cref="LogTraceSessionStatus.Logout"/>, the sign-out of the session <paramref name="token"/> names. The user comes
    /// from <c>UserId</c> / <c>UserName</c> (in the template, a scope, or the ASP.NET Core package), as for events.</summary>
    /// <param name="logger">The logger.</param>
    /// <param name="status">The session's status.</param>
    /// <param name="token">The session's token: sent as <c>token</c>; required for a sign-out (one without it is not sent, and is
    /// counted and reported as <c>invalid</c>: a missing token at run time never makes this call throw). Never written to
    /// <c>SelfLog</c>. Other <see cref="ILogger"/> providers that list scope values (the JSON console with
    /// <c>IncludeScopes</c>, OpenTelemetry) see <c>SessionToken</c> as <c>[REDACTED]</c>; other Serilog sinks see the
    /// <c>SessionToken</c> property as a list of one string.</param>
    /// <param name="message">The message template.</param>
    /// <param name="args">The template's property values.</param>
    public static void RecordSession(this ILogger logger, LogTraceSessionStatus status, string? token, string? message, params object?[] args) =>
        RecordSession(logger, LogLevel.Information, status, token, null, message, args);

    /// <summary>Writes a log event at <paramref name="level"/> that becomes a LogTrace session with <paramref name="status"/>
    /// (or a sign-out, with <see cref="LogTraceSessionStatus.Logout"/>).</summary>
    /// <param name="logger">The logger.</param>
    /// <param name="level">The log level, e.g. <see cref="LogLevel.Warning"/> for a failed sign-in.</param>
    /// <param name="status">The session's status.</param>
    /// <param name="token">The session's token; required for a sign-out.</param>
    /// <param name="exception">An exception to attach, or <see langword="null"/>.</param>
    /// <param name="message">The message template.</param>
    /// <param name="args">The template's property values.</param>
    public static void RecordSession(this ILogger logger, LogLevel level, LogTraceSessionStatus status, string? token, Exception? exception, string? message,
        params object?[] args)
    {
        if (logger == null) throw new ArgumentNullException(nameof(logger));
        if (status is < LogTraceSessionStatus.Active or > LogTraceSessionStatus.Logout)
            throw new ArgumentOutOfRangeException(nameof(status), status, "Not a LogTrace session status.");

        using (logger.BeginScope(new MarkerScope(LogTraceProperties.SessionStatus, SessionStatuses.Word(status), string.IsNullOrEmpty(token) ? null : token)))
            logger.Log(level, exception, message, args);
    }

    // The marker (and a session's token) as a scope around one call: Serilog's provider turns key/value scope state into
    // properties, and nothing else logged in the meantime is marked.
    sealed class MarkerScope : IReadOnlyList<KeyValuePair<string, object>>
    {
        readonly KeyValuePair<string, object> _marker;
        readonly string? _token;

        public MarkerScope(string name, string value, string? token)
        {
            _marker = new KeyValuePair<string, object>(name, value);
            _token = token;
        }

        public KeyValuePair<string, object> this[int index] => index switch
        {
            0 => _marker,
            1 when _token != null => new KeyValuePair<string, object>(LogTraceProperties.SessionToken, new HiddenSessionToken(_token)),
            _ => throw new ArgumentOutOfRangeException(nameof(index)),
        };

        public int Count => _token == null ? 1 : 2;

        public IEnumerator<KeyValuePair<string, object>> GetEnumerator()
        {
            for (var i = 0; i < Count; i++)
                yield return this[i];
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        // What a provider that shows scopes as text prints: never the token.
        public override string ToString() => _marker.Key + ": " + _marker.Value;
    }
}
