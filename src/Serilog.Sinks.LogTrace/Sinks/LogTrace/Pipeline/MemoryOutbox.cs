using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Serilog.Debugging;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Sending;
using Serilog.Sinks.LogTrace.Records;
using Serilog.Sinks.LogTrace.Http;

namespace Serilog.Sinks.LogTrace.Pipeline;

// The outbox without a durable buffer: a fixed set of senders (maxConcurrentRequests) takes records straight from the
// sink's queue, one request each (the service has no batch endpoint); EventDelivery formats and sends. A record that
// is being retried holds one sender, never the queue.
sealed class MemoryOutbox : Outbox
{
    readonly SinkParts _parts;
    readonly LogTraceApi _api;
    readonly EventDelivery _delivery;
    readonly Task _senders;

    public MemoryOutbox(SinkParts parts, LogTraceApi api, LogTraceEventFormatter formatter)
    {
        _parts = parts;
        _api = api;
        var options = parts.Settings.Options;
        _delivery = new EventDelivery(api, formatter, parts.Ledger, parts.Counters, parts.Shutdown, parts.Time, options.RetryTimeLimit);

        var senders = new Task[options.MaxConcurrentRequests];
        // The senders belong to the sink, not to whichever caller created it.
        using (ExecutionContext.IsFlowSuppressed() ? null : (IDisposable)ExecutionContext.SuppressFlow())
        {
            for (var i = 0; i < senders.Length; i++)
                senders[i] = Task.Run(SendLoopAsync);
        }
        _senders = Task.WhenAll(senders);
    }

    public override Task Completion => _senders;

    async Task SendLoopAsync()
    {
        using var buffers = new FormatBuffers();
        var queue = _parts.Queue;
        while (await queue.TakeAsync().ConfigureAwait(false) is { } record)
        {
            try
            {
                await _delivery.DeliverAsync(record, buffers).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // DeliverAsync accounts for every record itself; this is the last line of defence for the sender.
                _parts.Ledger.LostToAnError(record, "could not be sent", ex);
            }
        }
    }

    public override void OnAbandoned() =>
        SelfLog.WriteLine("{0}", string.Format(CultureInfo.InvariantCulture,
            "LogTrace: {0} events were still in flight {1} after the shutdown timeout of {2}, because the HttpMessageHandler does not " +
            "honour cancellation; shutdown goes on without them, and they are not counted as sent or lost",
            _parts.Counters.Queued, LogTraceSink.AbandonAfter, _parts.Shutdown.Timeout));

    public override void Close()
    {
        var counters = _parts.Counters;
        var lostAtShutdown = counters.LostFor(LossReason.Shutdown);
        if (lostAtShutdown > 0)
        {
            var lastFailure = _delivery.LastFailure;
            SelfLog.WriteLine("{0}", string.Format(CultureInfo.InvariantCulture,
                "LogTrace: {0} events could not be delivered within the shutdown timeout of {1} and were dropped; {2} were sent in all{3}",
                lostAtShutdown, _parts.Shutdown.Timeout, counters.Sent, lastFailure == null ? "" : "; the last failure: " + lastFailure));
        }
        _api.Dispose();
    }
}
