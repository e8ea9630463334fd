using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Threading;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Records;

namespace Serilog.Sinks.LogTrace.Accounting;

// A sign-out (SessionStatus logout) is sent as its token alone, to its own route: an EventName or AuditLogName the
// same log event carries is sent nowhere. The application meant two records in one call; each such marker is said
// once per sink in SelfLog, counted (logtrace.markers.ignored, tag `property`), and shown in the status.
sealed class IgnoredMarkers
{
    static readonly string[] Others = { LogTraceProperties.EventName, LogTraceProperties.AuditLogName };

    readonly Counter<long> _counter;
    readonly KeyValuePair<string, object?>[] _tags;
    readonly int[] _said = new int[2];
    long _seen;

    public IgnoredMarkers(Meter meter)
    {
        _counter = meter.CreateCounter<long>("logtrace.markers.ignored", "{event}",
            "Sign-outs that also carried EventName or AuditLogName: only the sign-out was sent, by the other marker's property name.");
        _tags = new KeyValuePair<string, object?>[Others.Length];
        for (var i = 0; i < Others.Length; i++)
            _tags[i] = new KeyValuePair<string, object?>("property", Others[i]);
    }

    // How many sign-outs carried another marker.
    public long Seen => Interlocked.Read(ref _seen);

    // A sign-out was formatted from this log event.
    public void SignedOut(LogEvent logEvent)
    {
        var counted = false;
        for (var i = 0; i < Others.Length; i++)
        {
            if (!logEvent.Properties.ContainsKey(Others[i]))
                continue;
            _counter.Add(1, _tags[i]);
            counted = true;
            if (Interlocked.Exchange(ref _said[i], 1) == 0)
            {
                QuietSelfLog.WriteLine("LogTrace: a sign-out (SessionStatus logout) also carries {0}; a sign-out is sent as its token alone, so that " +
                    "record was not sent. Log it in a call of its own. Said once; counted in logtrace.markers.ignored.", Others[i]);
            }
        }
        if (counted)
            Interlocked.Increment(ref _seen);
    }
}
