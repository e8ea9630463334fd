using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Serilog.Core;
using Serilog.Debugging;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Configuration;
using Serilog.Sinks.LogTrace.Formatting;
using Serilog.Sinks.LogTrace.Http;

namespace Serilog.Sinks.LogTrace.Delivery;

// Receives batches from Serilog's BatchingSink and hands their events to a fixed set of senders (one request each:
// the service has no batch endpoint); EventDelivery does the sending. An event held for its request's final status
// waits in the EventHold, off the senders, and is handed over when its request ends.
//
// EmitBatchAsync never throws: an event's failure is counted and reported on its own, and never makes BatchingSink
// send a batch again (that would duplicate the events that did arrive). It returns once every event of the batch
// is with a sender or held, so a single event that is being retried holds one sender, not the whole pipeline.
sealed class LogTraceSink : SenderSink, IBatchedLogEventSink, ILogTraceTarget
{
    readonly LogTraceApi _api;
    readonly LossReporter _reporter;
    readonly QueueAdmission _admission;
    readonly ShutdownDeadline _shutdown;
    readonly EventDelivery _delivery;
    readonly EventHold _hold;
    readonly Channel<LogEvent> _work;
    readonly Task[] _senders;
    readonly TimeProvider _time;

    public LogTraceSink(LogTraceApi api, LogTraceEventFormatter formatter, LogTraceSinkSettings settings)
    {
        var options = settings.Options;
        var time = options.TimeProvider;
        _time = time;
        _api = api;
        _reporter = new LossReporter(this, Counters, time, formatter.Text.RedactSecret);
        _admission = new QueueAdmission(Counters, _reporter, options.QueueLimit, options.QueueLimitBytes);
        _shutdown = new ShutdownDeadline(time, options.ShutdownTimeout);
        _delivery = new EventDelivery(api, formatter, _admission, Counters, _shutdown, time, options.RetryTimeLimit);

        // Small on purpose: the queue is BatchingSink's; this only hands events over to idle senders. Its writers are
        // EmitBatchAsync and the hold, which releases events whose request has ended; it completes when both are done.
        // (Room for a whole batch was measured too, and made no difference to the CPU per event: docs/benchmarks.md.)
        _work = Channel.CreateBounded<LogEvent>(new BoundedChannelOptions(options.MaxConcurrentRequests));
        _hold = new EventHold(time, QueueAsync, () => _work.Writer.TryComplete());
        _senders = new Task[options.MaxConcurrentRequests];
        // The senders belong to the sink, not to whichever caller created it.
        using (ExecutionContext.IsFlowSuppressed() ? null : (IDisposable)ExecutionContext.SuppressFlow())
        {
            for (var i = 0; i < _senders.Length; i++)
                _senders[i] = Task.Run(SendLoopAsync);
        }
    }

    public LogTraceSinkCounters Counters { get; } = new();

    public void SetFailureListener(ILoggingFailureListener failureListener) =>
        _reporter.SetFailureListener(failureListener ?? throw new ArgumentNullException(nameof(failureListener)));

    // Called on the application's thread for each event, before it enters BatchingSink's queue.
    public bool TryAdmit(LogEvent logEvent) => _admission.TryAdmit(logEvent, _shutdown.HasBegun);

    public async Task EmitBatchAsync(IReadOnlyCollection<LogEvent> batch)
    {
        foreach (var logEvent in batch)
        {
            // Neither call throws: an exception here would make BatchingSink send the whole batch again.
            if (!_hold.TryHold(logEvent, _shutdown.Stopping))
                await QueueAsync(logEvent).ConfigureAwait(false);
        }
    }

    public Task OnEmptyBatchAsync() => Task.CompletedTask;

    // Hands an event to the next idle sender; waits (off the application's thread) while all are busy.
    async Task QueueAsync(LogEvent logEvent)
    {
        try
        {
            if (!_work.Writer.TryWrite(logEvent))
                await _work.Writer.WriteAsync(logEvent, _shutdown.Deadline).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
        {
            _admission.Lost(logEvent, LossReason.Shutdown, "could not be sent before the shutdown timeout", null);
        }
        catch (Exception ex)
        {
            _admission.LostToAnError(logEvent, "could not be handed to a sender", ex);
        }
    }

    async Task SendLoopAsync()
    {
        using var buffers = new FormatBuffers();
        var reader = _work.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var logEvent))
            {
                try
                {
                    await _delivery.DeliverAsync(logEvent, buffers).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    // DeliverAsync accounts for every event itself; this is the last line of defence for the sender.
                    _admission.LostToAnError(logEvent, "could not be sent", ex);
                }
            }
        }
    }

    // The shutdown deadline starts here, before BatchingSink flushes its queue into this sink.
    public void BeginShutdown() => _shutdown.Begin();

    // BatchingSink disposes the sink after its last batch: the senders finish (by the deadline at the latest, since
    // every wait and request is cancelled then), then the losses of the shutdown are written in one line.
    protected override void BeginDispose()
    {
        _shutdown.Begin();
        // BatchingSink has handed over its last batch: the senders stop once the held events are released too.
        _hold.Close();
    }

    protected override Task Workers => Task.WhenAll(_senders);

    protected override TimeProvider Time => _time;

    protected override CancellationToken Deadline => _shutdown.Deadline;

    protected override void OnAbandoned() =>
        SelfLog.WriteLine("{0}", string.Format(CultureInfo.InvariantCulture,
            "LogTrace: {0} events were still in flight {1} after the shutdown timeout of {2}, because the HttpMessageHandler does not " +
            "honour cancellation; shutdown goes on without them, and they are not counted as sent or lost",
            Counters.Queued, AbandonAfter, _shutdown.Timeout));

    protected override void EndDispose()
    {
        var lostAtShutdown = Counters.LostFor(LossReason.Shutdown);
        if (lostAtShutdown > 0)
        {
            var lastFailure = _delivery.LastFailure;
            SelfLog.WriteLine("{0}", string.Format(CultureInfo.InvariantCulture,
                "LogTrace: {0} events could not be delivered within the shutdown timeout of {1} and were dropped; {2} were sent in all{3}",
                lostAtShutdown, _shutdown.Timeout, Counters.Sent, lastFailure == null ? "" : "; the last failure: " + lastFailure));
        }
        _reporter.Flush();
        _shutdown.Dispose();
        _api.Dispose();
        Counters.Dispose();
    }
}
