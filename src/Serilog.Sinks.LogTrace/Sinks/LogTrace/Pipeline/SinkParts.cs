using System;
using Serilog.Sinks.LogTrace.Configuration;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Sending;

namespace Serilog.Sinks.LogTrace.Pipeline;

// What a sink and its outbox share, one set per sink: the counters and the meter, the loss reporter (SelfLog and the
// failure listener, through one throttle), the ledger that admits records and settles their outcomes, the shutdown
// deadline, the queue between them, the misspelt markers seen, and the service's latest answer on each route.
sealed class SinkParts : IDisposable
{
    public SinkParts(LogTraceSinkSettings settings, Func<string, string> redact, object sender)
    {
        var options = settings.Options;
        Settings = settings;
        Time = options.TimeProvider;
        Counters = new LogTraceSinkCounters(Time);
        Answers = new RouteAnswers(Time);
        Reporter = new LossReporter(sender, Counters, Time, redact);
        Misspelt = new MisspeltMarkers(Counters.Meter);
        Ignored = new IgnoredMarkers(Counters.Meter);
        Ledger = new RecordLedger(Counters, Reporter, options.QueueLimit, options.QueueLimitBytes);
        Shutdown = new ShutdownDeadline(Time, options.ShutdownTimeout);
        Queue = new RecordQueue(Time, Shutdown, record =>
            Ledger.Lost(record, LossReason.Shutdown, "could not be queued again after waiting for its request, because the sink had shut down", null));
    }

    public LogTraceSinkSettings Settings { get; }

    public TimeProvider Time { get; }

    public LogTraceSinkCounters Counters { get; }

    public RouteAnswers Answers { get; }

    public LossReporter Reporter { get; }

    public MisspeltMarkers Misspelt { get; }

    public IgnoredMarkers Ignored { get; }

    public RecordLedger Ledger { get; }

    public ShutdownDeadline Shutdown { get; }

    public RecordQueue Queue { get; }

    public void Dispose()
    {
        Shutdown.Dispose();
        Counters.Dispose();
    }
}
