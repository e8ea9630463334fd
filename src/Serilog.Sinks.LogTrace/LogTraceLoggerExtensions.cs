using System;
using System.Collections;
using System.Collections.Generic;
using Serilog.Sinks.LogTrace;

namespace Microsoft.Extensions.Logging;

/// <summary>
/// Records LogTrace events through <see cref="ILogger"/> (Microsoft.Extensions.Logging) when Serilog is the logging
/// provider, in any host (a worker service needs only this package and Serilog's provider):
/// <c>logger.RecordEvent("invoice.created", "Invoice {InvoiceId} created", id)</c>.
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
        using (logger.BeginScope(new EventNameScope(eventName)))
            logger.Log(level, exception, message, args);
    }

    /// <summary>The former name of <see cref="RecordEvent(ILogger, string, string?, object?[])"/>, which read like the Trace level.</summary>
    /// <param name="logger">The logger.</param>
    /// <param name="eventName">The LogTrace event name.</param>
    /// <param name="message">The message template.</param>
    /// <param name="args">The template's property values.</param>
    [Obsolete("Use logger.RecordEvent(...): LogTraceEvent reads like Microsoft.Extensions.Logging's Trace level. This name goes in the next release.")]
    public static void LogTraceEvent(this ILogger logger, string eventName, string? message, params object?[] args) =>
        RecordEvent(logger, LogLevel.Information, eventName, null, message, args);

    /// <summary>The former name of <see cref="RecordEvent(ILogger, LogLevel, string, Exception?, string?, object?[])"/>.</summary>
    /// <param name="logger">The logger.</param>
    /// <param name="level">The log level.</param>
    /// <param name="eventName">The LogTrace event name.</param>
    /// <param name="exception">An exception to attach, or <see langword="null"/>.</param>
    /// <param name="message">The message template.</param>
    /// <param name="args">The template's property values.</param>
    [Obsolete("Use logger.RecordEvent(...): LogTraceEvent reads like Microsoft.Extensions.Logging's Trace level. This name goes in the next release.")]
    public static void LogTraceEvent(this ILogger logger, LogLevel level, string eventName, Exception? exception, string? message, params object?[] args) =>
        RecordEvent(logger, level, eventName, exception, message, args);

    sealed class EventNameScope : IReadOnlyList<KeyValuePair<string, object>>
    {
        readonly KeyValuePair<string, object> _pair;

        public EventNameScope(string eventName) => _pair = new KeyValuePair<string, object>(LogTraceProperties.EventName, eventName);

        public KeyValuePair<string, object> this[int index] => index == 0 ? _pair : throw new ArgumentOutOfRangeException(nameof(index));

        public int Count => 1;

        public IEnumerator<KeyValuePair<string, object>> GetEnumerator()
        {
            yield return _pair;
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => LogTraceProperties.EventName + ": " + _pair.Value;
    }
}
