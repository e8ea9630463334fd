using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Threading;

namespace Serilog.Sinks.LogTrace.Accounting;

// Log events that are not records but carry a property spelt almost like a marker (RecordKinds.FindMisspeltMarker:
// "Eventname", "event_name", "sessionToken"): the record the application meant is lost at its source, so each name is
// said once per sink in SelfLog and every occurrence is counted (logtrace.markers.misspelt, tag `property`).
sealed class MisspeltMarkers
{
    // Property names come from the application's code, not from its users, but a name built from data must not grow
    // the set (or the metric's tags) without end: past this many, names are counted under "other".
    internal const int MaxNames = 100;
    internal const string Other = "other";

    readonly ConcurrentDictionary<string, KeyValuePair<string, object?>> _names = new(StringComparer.Ordinal);
    readonly Counter<long> _counter;
    long _seen;

    public MisspeltMarkers(Meter meter) =>
        _counter = meter.CreateCounter<long>("logtrace.markers.misspelt", "{event}",
            "Log events not sent because a property that looks like a LogTrace marker (EventName, AuditLogName, SessionStatus, SessionToken) is spelt otherwise, by property name.");

    // How many log events carried a misspelt marker.
    public long Seen => Interlocked.Read(ref _seen);

    // The names seen, for reports.
    public IReadOnlyCollection<string> Names => new List<string>(_names.Keys);

    // A log event carried `name`, which looks like `marker`. Never throws.
    public void Report(string name, string marker)
    {
        Interlocked.Increment(ref _seen);
        if (!_names.TryGetValue(name, out var tag))
        {
            var known = _names.Count < MaxNames ? name : Other;
            tag = new KeyValuePair<string, object?>("property", known);
            if (ReferenceEquals(known, name) && _names.TryAdd(name, tag))
            {
                QuietSelfLog.WriteLine("LogTrace: a log event carries the property {0}, which looks like the marker {1} but is spelt otherwise " +
                    "(property names are case-sensitive), so it was not sent to LogTrace; rename it to {1}. Said once per name; counted in " +
                    "logtrace.markers.misspelt.", "'" + name + "'", marker);
            }
        }
        _counter.Add(1, tag);
    }

}
