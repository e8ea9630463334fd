using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Serilog.Sinks.LogTrace;

/// <summary>
/// Options for the LogTrace sink, used with
/// <see cref="LogTraceLoggerConfigurationExtensions.LogTrace(Serilog.Configuration.LoggerSinkConfiguration, Action{LogTraceSinkOptions}, Serilog.Events.LogEventLevel, Serilog.Core.LoggingLevelSwitch?)"/>.
/// </summary>
public sealed class LogTraceSinkOptions
{
    /// <summary>The LogTrace API key (<c>lg_...</c>). Default: the <c>LOGTRACE_API_KEY</c> environment variable.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The ingestion base URL. A trailing <c>/</c> or <c>/events</c> is accepted. Default: the
    /// <c>LOGTRACE_ENDPOINT</c> environment variable, else <c>https://api.logtracehq.com/v1/developers</c>.</summary>
    public string? Endpoint { get; set; }

    /// <summary>With <see cref="BufferPath"/>: the most records written to the buffer in one transaction. In memory it
    /// has no effect: a record goes to a sender as soon as one is free. Default: 100.</summary>
    public int BatchSizeLimit { get; set; } = LogTraceDefaults.BatchSizeLimit;

    /// <summary>With <see cref="BufferPath"/>: the longest the buffer's writer pauses between two batches that were not
    /// full, capped at 100 ms. In memory it has no effect: nothing waits for a batch. Default: 2 seconds.</summary>
    public TimeSpan Period { get; set; } = LogTraceDefaults.Period;

    /// <summary>The most events held in memory waiting to be sent. Default: 10000 (100 minutes of what the service accepts from one address).</summary>
    public int QueueLimit { get; set; } = LogTraceDefaults.QueueLimit;

    /// <summary>The most memory, in bytes, that events waiting to be sent may hold (estimated from their property
    /// values); an event over it is dropped and counted like one over <see cref="QueueLimit"/>. Default: 134217728 (128 MiB).</summary>
    public long QueueLimitBytes { get; set; } = LogTraceDefaults.QueueLimitBytes;

    /// <summary>The most requests in flight at once (the service takes one event per request), 1 to 64. Default: 4.</summary>
    public int MaxConcurrentRequests { get; set; } = LogTraceDefaults.MaxConcurrentRequests;

    /// <summary>How long one request may take. Default: 30 seconds.</summary>
    public TimeSpan RequestTimeout { get; set; } = LogTraceDefaults.RequestTimeout;

    /// <summary>How long an event is retried after transient failures (connection errors, timeouts, 408, 429, 5xx),
    /// counted from its first attempt; then it is reported as lost. With <see cref="BufferPath"/> it is not lost: it stays
    /// buffered and is tried again a minute later, and the limit is at least a minute. Default: 10 minutes.</summary>
    public TimeSpan RetryTimeLimit { get; set; } = LogTraceDefaults.RetryTimeLimit;

    /// <summary>How long <c>Log.CloseAndFlush()</c> (disposing the sink) may spend delivering the events still queued;
    /// what is not delivered by then is counted, reported in one <c>SelfLog</c> line and handed to the failure
    /// listener. Default: 10 seconds.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = LogTraceDefaults.ShutdownTimeout;

    /// <summary>Sends a log event that carries no marker but an <c>EventId</c> whose name has a dot (a
    /// <c>[LoggerMessage(EventName = "invoice.created")]</c> call, or any Microsoft.Extensions.Logging call with such an
    /// <c>EventId</c>) as the LogTrace event of that name. A name without a dot is not a record's: the
    /// <c>[LoggerMessage]</c> generator names every <c>EventId</c> after its method when no name is given. Caveat: Serilog's Microsoft.Extensions.Logging provider caches the <c>EventId</c> property by
    /// id alone, so two names that share an id are both sent under the first name seen for it: give each name its own
    /// id. Default: <see langword="false"/> (only the markers make records).</summary>
    public bool EventNameFromEventId { get; set; }

    /// <summary>The <c>type</c> of events that carry no <c>EventType</c> property. Default: none (no <c>type</c> is sent).</summary>
    public string? DefaultEventType { get; set; }

    /// <summary>The <c>username</c> sent for events with neither <c>UserId</c> nor <c>UserName</c>, because the service
    /// rejects such events. Set to <see langword="null"/> or empty to drop those events instead (each drop is
    /// reported on <c>SelfLog</c> and counted). Default: <c>anonymous</c>.</summary>
    public string? FallbackUserName { get; set; } = LogTraceDefaults.FallbackUserName;

    /// <summary>The longest string value, in UTF-16 characters, sent in any field; longer values are cut and end
    /// with <c>…[truncated]</c>. Default: 16384.</summary>
    public int MaxStringLength { get; set; } = LogTraceDefaults.MaxStringLength;

    /// <summary>The largest <c>metadata</c> object, in UTF-8 bytes; properties that would exceed it are left out and
    /// named in a <c>_truncated</c> entry. Default: 65536.</summary>
    public int MaxMetadataBytes { get; set; } = LogTraceDefaults.MaxMetadataBytes;

    /// <summary>More property names whose values this sink redacts, in addition to
    /// <see cref="LogTraceRedaction.SensitiveProperties"/> (which every sink uses): at any depth of a record's metadata,
    /// matched ignoring case, <c>-</c> and <c>_</c> (docs/redaction.md). Blank names are ignored. Default: none.</summary>
    public ICollection<string> SensitiveProperties { get; set; } = new List<string>();

    /// <summary>A folder for the durable buffer: when set, every event is written there (within 100 ms of being
    /// logged) and delivered from there, so events survive restarts, crashes and outages. <c>%NAME%</c> environment
    /// variables are expanded; a relative path is under the application's base directory (<c>AppContext.BaseDirectory</c>),
    /// not the current directory; a blank one is an error; the folder is created. Needs the <c>Serilog.Sinks.LogTrace.Durable</c> package. See
    /// docs/durable-buffer.md. Default: none (events wait in memory only).</summary>
    public string? BufferPath { get; set; }

    /// <summary>The most bytes of events the durable buffer holds; an event that would exceed it is refused, counted
    /// (<c>buffer_full</c>) and reported, and the events already buffered are kept. Used only with
    /// <see cref="BufferPath"/>. Default: 1073741824 (1 GiB).</summary>
    public long BufferSizeLimitBytes { get; set; } = LogTraceDefaults.BufferSizeLimitBytes;

    /// <summary>A handler for the sink's HTTP requests, e.g. for a proxy or custom authentication. The sink does not
    /// dispose it. Default: none (the sink creates its own pooled handler).</summary>
    public HttpMessageHandler? MessageHandler { get; set; }

    /// <summary>Dry run: records are formatted and checked exactly as for sending, then written, one line each
    /// (<c>LogTrace dry run, not sent: POST route body</c>), to <see cref="DryRunOutput"/> or else to <c>SelfLog</c>,
    /// instead of the network. No request is made, no API key is needed (one that is given is checked, and redacted as
    /// on the wire), and <see cref="BufferPath"/> is not used. The records are counted
    /// (<see cref="LogTraceSinkStatus.DryRunRecords"/>) and the health check reports the sink Degraded. Never turned on
    /// by the environment: a missing key still fails unless this is set. See docs/flush-and-dry-run.md.
    /// Default: <see langword="false"/>.</summary>
    public bool DryRun { get; set; }

    /// <summary>Where a <see cref="DryRun"/> writes its records; the sink does not dispose it. Default: none
    /// (<c>SelfLog</c>).</summary>
    public TextWriter? DryRunOutput { get; set; }
    /// <summary>The application's last word on each record: called with the record as it will be sent (kind, route
    /// and body, after formatting and redaction), off the application's thread and once per record, before it is
    /// queued for sending or written to the durable buffer. Change <see cref="LogTraceOutgoingRecord.Body"/> in place
    /// and return <see langword="true"/> to send it, or return <see langword="false"/> to drop it (counted,
    /// <c>dropped_by_hook</c>). A hook that throws loses that record (counted, <c>hook_failed</c>, said on
    /// <c>SelfLog</c>) and nothing else. From <c>appsettings.json</c>: <c>beforeSend</c>, an
    /// <see cref="ILogTraceBeforeSend"/> type name. Default: none (records are sent as formatted, at no cost).</summary>
    public Func<LogTraceOutgoingRecord, bool>? BeforeSend { get; set; }

    // The clock of every wait in delivery (backoff, pacing, shutdown deadline); tests use a fake one.
    internal TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    // Where the memory outbox rents the arrays its formatted bodies wait in (BodySegments); tests count them.
    internal ArrayPool<byte> BodyPool { get; set; } = ArrayPool<byte>.Shared;

    // How the durable buffer's writer waits after a batch that was not full: in real time, as Serilog's own batching
    // does (BufferWriter), ended early by the shutdown's token; tests replace it to see each pause.
    internal Func<TimeSpan, CancellationToken, Task> WritePause { get; set; } = Task.Delay;

    internal LogTraceSinkOptions Clone() => (LogTraceSinkOptions)MemberwiseClone();
}
