using System;
using System.Net.Http;
using Serilog.Configuration;
using Serilog.Core;
using Serilog.Events;
using Serilog.Debugging;
using Serilog.Sinks.LogTrace;
using Serilog.Sinks.LogTrace.Buffering;
using Serilog.Sinks.LogTrace.Configuration;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Sending;
using Serilog.Sinks.LogTrace.Records;
using Serilog.Sinks.LogTrace.Http;
using Serilog.Sinks.LogTrace.Pipeline;

namespace Serilog;

/// <summary>
/// Adds <c>WriteTo.LogTrace()</c> to the logger configuration.
/// </summary>
public static class LogTraceLoggerConfigurationExtensions
{
    /// <summary>
    /// Sends log events that carry an <c>EventName</c> property to LogTrace as events, those with <c>AuditLogName</c> as
    /// audit logs and those with <c>SessionStatus</c> as sessions (<see cref="LogTraceProperties"/>); all other log events
    /// are ignored. Every parameter has a simple type, so <c>appsettings.json</c> can set each one.
    /// </summary>
    /// <param name="loggerSinkConfiguration">The logger's sink configuration.</param>
    /// <param name="apiKey">The LogTrace API key (<c>lg_...</c>). Default: the <c>LOGTRACE_API_KEY</c> environment variable;
    /// configuring fails when neither is set.</param>
    /// <param name="endpoint">The ingestion base URL; a trailing <c>/</c> or <c>/events</c> is accepted. Default: the
    /// <c>LOGTRACE_ENDPOINT</c> environment variable, else <c>https://api.logtracehq.com/v1/developers</c>.</param>
    /// <param name="restrictedToMinimumLevel">The minimum level of events passed to the sink. Default: all levels.
    /// Ignored when <paramref name="levelSwitch"/> is given.</param>
    /// <param name="levelSwitch">A switch that changes the sink's minimum level at run time. Default: none.</param>
    /// <param name="batchSizeLimit">With <paramref name="bufferPath"/>: the most records written to the buffer in one transaction;
    /// in memory it has no effect. Default: 100.</param>
    /// <param name="period">With <paramref name="bufferPath"/>: the longest the buffer's writer pauses between two batches that were
    /// not full, capped at 100 ms; in memory it has no effect. Default: 2 seconds.</param>
    /// <param name="queueLimit">The most events held in memory waiting to be sent. Default: 10000 (100 minutes of what the service accepts from one address).</param>
    /// <param name="queueLimitBytes">The most memory, in bytes, that events waiting to be sent may hold. Default: 134217728 (128 MiB).</param>
    /// <param name="maxConcurrentRequests">The most requests in flight at once (one event per request), 1 to 64. Default: 4.</param>
    /// <param name="requestTimeout">How long one request may take. Default: 30 seconds.</param>
    /// <param name="retryTimeLimit">How long an event is retried after transient failures, from its first attempt. Default: 10 minutes.</param>
    /// <param name="shutdownTimeout">How long <c>Log.CloseAndFlush()</c> may spend delivering queued events. Default: 10 seconds.</param>
    /// <param name="defaultEventType">The <c>type</c> of events without an <c>EventType</c> property. Default: none.</param>
    /// <param name="fallbackUserName">The <c>username</c> of events with neither <c>UserId</c> nor <c>UserName</c>;
    /// empty or <see langword="null"/> drops such events instead, with a <c>SelfLog</c> line. Default: <c>anonymous</c>.</param>
    /// <param name="maxStringLength">The longest string sent in any field, in characters. Default: 16384.</param>
    /// <param name="maxMetadataBytes">The largest <c>metadata</c> object, in UTF-8 bytes. Default: 65536.</param>
    /// <param name="messageHandler">A handler for the sink's HTTP requests (proxies, custom authentication); not
    /// disposed by the sink. Default: none (the sink's own pooled handler).</param>
    /// <param name="bufferPath">A folder for the durable buffer (needs the <c>Serilog.Sinks.LogTrace.Durable</c> package):
    /// events are written there within 100 ms and delivered from there, so they survive restarts, crashes and outages.
    /// <c>%NAME%</c> environment variables are expanded; a relative path is under the application's base directory; a
    /// blank one is an error. Default: none (events wait in memory only).</param>
    /// <param name="bufferSizeLimitBytes">The most bytes of events the durable buffer holds; new events over it are
    /// refused and counted, buffered ones kept. Default: 1073741824 (1 GiB).</param>
    /// <param name="eventNameFromEventId">Sends a log event without a marker whose <c>EventId</c> has a name (a
    /// <c>[LoggerMessage]</c> call) as the event of that name; see <see cref="LogTraceSinkOptions.EventNameFromEventId"/>
    /// for its caveat. Default: <see langword="false"/>.</param>
    /// <param name="dryRun">Formats and checks records as for sending, then writes them to <c>SelfLog</c> instead of the
    /// network, with no API key needed; see <see cref="LogTraceSinkOptions.DryRun"/>. Default: <see langword="false"/>.</param>
    /// <param name="beforeSend">A hook that sees each record as it will be sent and may change or drop it (in
    /// <c>appsettings.json</c>, the type name of an <see cref="ILogTraceBeforeSend"/> with a parameterless constructor);
    /// see <see cref="LogTraceSinkOptions.BeforeSend"/>. Default: none.</param>
    /// <param name="sensitiveProperties">More property names whose values this sink redacts at any depth of a record's
    /// metadata, in addition to <see cref="LogTraceRedaction.SensitiveProperties"/> (in <c>appsettings.json</c>, a
    /// string array). Default: none.</param>
    /// <returns>Configuration object allowing method chaining.</returns>
    /// <exception cref="InvalidOperationException">No API key is configured.</exception>
    /// <exception cref="ArgumentException">The endpoint or a limit is not valid.</exception>
    public static LoggerConfiguration LogTrace(
        this LoggerSinkConfiguration loggerSinkConfiguration,
        string? apiKey = null,
        string? endpoint = null,
        LogEventLevel restrictedToMinimumLevel = LevelAlias.Minimum,
        LoggingLevelSwitch? levelSwitch = null,
        int batchSizeLimit = LogTraceDefaults.BatchSizeLimit,
        TimeSpan? period = null,
        int queueLimit = LogTraceDefaults.QueueLimit,
        long queueLimitBytes = LogTraceDefaults.QueueLimitBytes,
        int maxConcurrentRequests = LogTraceDefaults.MaxConcurrentRequests,
        TimeSpan? requestTimeout = null,
        TimeSpan? retryTimeLimit = null,
        TimeSpan? shutdownTimeout = null,
        string? defaultEventType = null,
        string? fallbackUserName = LogTraceDefaults.FallbackUserName,
        int maxStringLength = LogTraceDefaults.MaxStringLength,
        int maxMetadataBytes = LogTraceDefaults.MaxMetadataBytes,
        HttpMessageHandler? messageHandler = null,
        string? bufferPath = null,
        long bufferSizeLimitBytes = LogTraceDefaults.BufferSizeLimitBytes,
        bool eventNameFromEventId = false,
        bool dryRun = false,
        ILogTraceBeforeSend? beforeSend = null,
        string[]? sensitiveProperties = null)
    {
        return loggerSinkConfiguration.LogTrace(options =>
        {
            options.ApiKey = apiKey;
            options.Endpoint = endpoint;
            options.BatchSizeLimit = batchSizeLimit;
            options.Period = period ?? LogTraceDefaults.Period;
            options.QueueLimit = queueLimit;
            options.QueueLimitBytes = queueLimitBytes;
            options.MaxConcurrentRequests = maxConcurrentRequests;
            options.RequestTimeout = requestTimeout ?? LogTraceDefaults.RequestTimeout;
            options.RetryTimeLimit = retryTimeLimit ?? LogTraceDefaults.RetryTimeLimit;
            options.ShutdownTimeout = shutdownTimeout ?? LogTraceDefaults.ShutdownTimeout;
            options.DefaultEventType = defaultEventType;
            options.FallbackUserName = fallbackUserName;
            options.MaxStringLength = maxStringLength;
            options.MaxMetadataBytes = maxMetadataBytes;
            options.MessageHandler = messageHandler;
            options.BufferPath = bufferPath;
            options.BufferSizeLimitBytes = bufferSizeLimitBytes;
            options.EventNameFromEventId = eventNameFromEventId;
            options.DryRun = dryRun;
            options.BeforeSend = beforeSend == null ? null : beforeSend.BeforeSend;
            if (sensitiveProperties != null)
                options.SensitiveProperties = sensitiveProperties;
        }, restrictedToMinimumLevel, levelSwitch);
    }

    /// <summary>
    /// Sends log events that carry an <c>EventName</c> property to LogTrace as events, those with <c>AuditLogName</c> as
    /// audit logs and those with <c>SessionStatus</c> as sessions (<see cref="LogTraceProperties"/>); all other log events
    /// are ignored. The defaults are those of <see cref="LogTraceSinkOptions"/>.
    /// </summary>
    /// <param name="loggerSinkConfiguration">The logger's sink configuration.</param>
    /// <param name="configure">Sets the sink's options.</param>
    /// <param name="restrictedToMinimumLevel">The minimum level of events passed to the sink. Default: all levels.
    /// Ignored when <paramref name="levelSwitch"/> is given.</param>
    /// <param name="levelSwitch">A switch that changes the sink's minimum level at run time. Default: none.</param>
    /// <returns>Configuration object allowing method chaining.</returns>
    /// <exception cref="InvalidOperationException">No API key is configured.</exception>
    /// <exception cref="ArgumentException">The endpoint or a limit is not valid, or the buffer folder cannot be used.</exception>
    public static LoggerConfiguration LogTrace(
        this LoggerSinkConfiguration loggerSinkConfiguration,
        Action<LogTraceSinkOptions> configure,
        LogEventLevel restrictedToMinimumLevel = LevelAlias.Minimum,
        LoggingLevelSwitch? levelSwitch = null)
    {
        if (loggerSinkConfiguration == null) throw new ArgumentNullException(nameof(loggerSinkConfiguration));
        if (configure == null) throw new ArgumentNullException(nameof(configure));

        var options = new LogTraceSinkOptions();
        configure(options);
        var settings = LogTraceSinkSettings.Create(options, Environment.GetEnvironmentVariable);
        var pipeline = settings.Options.BufferPath is { } bufferPath && !settings.Options.DryRun
            ? EventStoreLocator.Locate().CreateSink(settings, bufferPath)
            : CreatePipeline(settings);
        return loggerSinkConfiguration.Sink(pipeline, restrictedToMinimumLevel, levelSwitch);
    }

    // The sink in memory: the whole pipeline is the one sink, its queue and the senders.
    internal static LogTraceSink CreatePipeline(LogTraceSinkSettings settings, LogTraceApi? api = null, Func<string>? newEventId = null)
    {
        var options = settings.Options;
        var formatter = new LogTraceEventFormatter(settings, newEventId);
        api ??= new HttpLogTraceApi(settings.BaseUri, settings.ApiKey, options.RequestTimeout, options.MessageHandler);
        var openApi = api;
        var sink = new LogTraceSink(settings, formatter.Text.RedactSecret, parts => new MemoryOutbox(parts, openApi, formatter,
            dryRun: options.DryRun ? new DryRunOutput(options.DryRunOutput, settings, formatter.Text, parts.Ledger) : null));
        if (options.DryRun && options.BufferPath != null)
            sink.BufferUnavailable = "the sink is in dry run: records are written to its dry-run output, not to the buffer";
        return sink;
    }

}
