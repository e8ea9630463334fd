using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Serilog.Core;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Configuration;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Sending;
using Serilog.Sinks.LogTrace.Records;

namespace Serilog.Sinks.LogTrace.Pipeline;

// The only Serilog sink of the package, in memory and with the durable buffer alike. On the application's thread it
// filters (ordinary log lines cost a few nanoseconds and allocate nothing: RecordKinds.IsMarked), captures the
// request the record was logged in, admits the record against the queue's bounds, and writes one PendingRecord into
// its queue. An outbox drains the queue off the application's thread (docs/architecture.md follows the whole path).
//
// Disposed once, synchronously or not, in three steps: the shutdown begins and the queue closes; the outbox finishes
// by the deadline, or is abandoned AbandonAfter past it if a caller's HttpMessageHandler ignores cancellation; then
// the outbox writes its summary and everything is released.
sealed class LogTraceSink : ILogEventSink, ISetLoggingFailureListener, IDisposable
#if NET8_0_OR_GREATER
    , IAsyncDisposable
#endif
{
    internal static readonly TimeSpan AbandonAfter = TimeSpan.FromSeconds(5);
    const string HostingRequestActivity = "Microsoft.AspNetCore.Hosting.HttpRequestIn";

    readonly SinkParts _parts;
    readonly bool _eventIdNames;
    int _warnedNoRequestContext;
    long _withoutRequestContext;
    int _disposed;

    // outbox: builds the outbox over the parts this sink shares with it. The sink owns what it builds.
    public LogTraceSink(LogTraceSinkSettings settings, Func<string, string> redact, Func<SinkParts, Outbox> outbox)
    {
        _parts = new SinkParts(settings, redact, this);
        _eventIdNames = settings.Options.EventNameFromEventId;
        try
        {
            Outbox = outbox(_parts);
        }
        catch
        {
            _parts.Dispose();
            throw;
        }
        Endpoint = LogTraceSinkSettings.TextOf(settings.BaseUri);
        LiveSinks.Register(this);
    }

    // The ingestion base URL as the status shows it (the settings refuse credentials, a query and a fragment in it).
    internal string Endpoint { get; }

    // Why the configured durable buffer is not used (set by the durable package when this sink replaces it).
    internal string? BufferUnavailable { get; set; }

    // The same API key and endpoint: every record logged through both sinks is sent twice. A sink in dry run sends
    // nothing, so it shares no destination with any other.
    internal bool SameDestination(LogTraceSink other) =>
        !_parts.Settings.Options.DryRun && !other._parts.Settings.Options.DryRun &&
        string.Equals(_parts.Settings.ApiKey, other._parts.Settings.ApiKey, StringComparison.Ordinal) &&
        _parts.Settings.BaseUri == other._parts.Settings.BaseUri && string.Equals(Endpoint, other.Endpoint, StringComparison.Ordinal);

    internal LogTraceSinkStatus Status(bool sharesKeyAndEndpoint) =>
        SinkStatus.Of(_parts, Outbox, Endpoint, BufferUnavailable ?? Outbox.BufferUnavailable, sharesKeyAndEndpoint, Interlocked.Read(ref _withoutRequestContext));

    public Outbox Outbox { get; }

    // The clock a flush of this sink waits on.
    internal TimeProvider Time => _parts.Time;

    // The records admitted until now, for a flush (SinkFlush): settled once each is delivered, lost, buffered on disk or
    // written by a dry run. Later records are not part of it.
    internal FlushEpoch BeginFlush() => _parts.Ledger.CloseEpoch();

    public LogTraceSinkCounters Counters => _parts.Counters;

    public MisspeltMarkers Misspelt => _parts.Misspelt;

    // The admission check alone, for tests of the queue's bounds.
    internal RecordLedger Ledger => _parts.Ledger;

    // The shutdown deadline, for tests of its release.
    internal ShutdownDeadline Shutdown => _parts.Shutdown;

    // The queue itself, for tests that put a record there as it could be found by the outbox.
    internal RecordQueue Queue => _parts.Queue;

    public void Emit(LogEvent logEvent)
    {
        if (!RecordKinds.IsMarked(logEvent, out var misspelt))
        {
            if (misspelt != null)
                _parts.Misspelt.Report(misspelt, RecordKinds.MisspeltMarker(misspelt)!);
            if (!_eventIdNames || !EventIdNames.TryGetName(logEvent, out var eventIdName))
                return;
            logEvent = EventIdNames.WithEventName(logEvent, eventIdName);
        }

        var ledger = _parts.Ledger;
        if (ledger.RefusedAtOnce(logEvent, _parts.Shutdown.HasBegun))
            return;
        var record = Capture(logEvent);
        if (!ledger.TryAdmit(ref record, _parts.Shutdown.HasBegun))
            return;
        if (!_parts.Queue.TryWrite(record))
            ledger.Lost(record, LossReason.Shutdown, "was logged while the sink was shutting down, and was dropped", null);
    }

    // An event logged inside an HTTP request (a LogTraceRequestContext is current) is copied, and the request's values
    // are added to the copy: the event other sinks receive is left exactly as the application logged it.
    PendingRecord Capture(LogEvent logEvent)
    {
        var context = LogTraceRequestContext.Current;
        if (context == null)
        {
            WarnIfInsideAnUnknownRequest();
            return new PendingRecord(logEvent, logEvent, null, EventSize.Estimate(logEvent));
        }

        var copy = LogEventCopy.Of(logEvent, 12);
        var belongs = false;
        try
        {
            belongs = context.AddProperties(copy);
        }
        catch (Exception ex)
        {
            // A record is never lost to its request context: it goes with what could be added.
            QuietSelfLog.WriteLine("LogTrace: the request context {0} failed to add its values to an event: {1}", context.GetType().Name, ex);
        }
        return new PendingRecord(copy, logEvent, belongs ? context : null, EventSize.Estimate(copy) + EventSize.Shell(logEvent));
    }

    // ASP.NET Core's hosting layer marks each request with an Activity: an event logged there without a request context
    // means Serilog.Sinks.LogTrace.AspNetCore's middleware is missing, and the event goes without request details.
    void WarnIfInsideAnUnknownRequest()
    {
        if (Activity.Current?.OperationName != HostingRequestActivity)
            return;
        Interlocked.Increment(ref _withoutRequestContext);
        if (Interlocked.Exchange(ref _warnedNoRequestContext, 1) == 0)
        {
            QuietSelfLog.WriteLine("LogTrace: an event was logged during an HTTP request, but the request has no LogTrace context, so it is sent " +
                "without request details. Add builder.Services.AddLogTraceHttpContext() and app.UseLogTraceHttpContext() (first in the pipeline), " +
                "from the Serilog.Sinks.LogTrace.AspNetCore package.");
        }
    }

    public void SetFailureListener(ILoggingFailureListener failureListener) =>
        _parts.Reporter.SetFailureListener(failureListener ?? throw new ArgumentNullException(nameof(failureListener)));

    public void Dispose()
    {
        if (!BeginDispose())
            return;
        try
        {
            OutboxOrGiveUpAsync().GetAwaiter().GetResult();
        }
        finally
        {
            EndDispose();
        }
    }

#if NET8_0_OR_GREATER
    public async ValueTask DisposeAsync()
    {
        if (!BeginDispose())
            return;
        try
        {
            await OutboxOrGiveUpAsync().ConfigureAwait(false);
        }
        finally
        {
            EndDispose();
        }
    }
#endif

    // The shutdown timeout starts: records logged from now on are dropped (counted), and held records are released.
    internal void BeginShutdown() => _parts.Shutdown.Begin();

    // The deadline starts; held records are released at once, and the queue completes once they are back in it.
    bool BeginDispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return false;
        BeginShutdown();
        _parts.Queue.Close();
        return true;
    }

    async Task OutboxOrGiveUpAsync()
    {
        var completion = Outbox.Completion;
        var giveUp = Clock.WhenCancelledThenDelayAsync(_parts.Time, _parts.Shutdown.Deadline, AbandonAfter);
        if (await Task.WhenAny(completion, giveUp).ConfigureAwait(false) != completion)
            Outbox.OnAbandoned(_parts.Ledger.Abandon());
    }

    void EndDispose()
    {
        LiveSinks.Unregister(this);
        try
        {
            Outbox.Close();
        }
        finally
        {
            _parts.Reporter.Flush();
            _parts.Dispose();
        }
    }
}
