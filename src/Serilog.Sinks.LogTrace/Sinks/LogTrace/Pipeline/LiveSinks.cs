using System;
using System.Collections.Generic;
using Serilog.Sinks.LogTrace.Accounting;

namespace Serilog.Sinks.LogTrace.Pipeline;

// Every LogTrace sink of the process from its creation until it is disposed, for LogTraceStatus: Serilog creates
// sinks inside LoggerConfiguration (from code or from configuration), never through DI, so this is the one place a
// health check can find them. A sink registered with the API key and endpoint of one already live would send every
// record twice: said once in SelfLog, and shown in the status.
static class LiveSinks
{
    static readonly object Lock = new();
    static readonly List<LogTraceSink> Sinks = new();

    public static void Register(LogTraceSink sink)
    {
        bool duplicate;
        lock (Lock)
        {
            duplicate = Sinks.Exists(other => other.SameDestination(sink));
            Sinks.Add(sink);
        }
        if (duplicate)
        {
            QuietSelfLog.WriteLine("LogTrace: a second LogTrace sink was created with the same API key and endpoint ({0}) as one already in use: " +
                "every record logged through both is sent twice, with different _event_ids. Configure the sink once (in code, or in the " +
                "Serilog section of appsettings.json, not both).", sink.Endpoint);
        }
    }

    public static void Unregister(LogTraceSink sink)
    {
        lock (Lock)
            Sinks.Remove(sink);
    }

    // The live sinks, oldest first.
    public static LogTraceSink[] All()
    {
        lock (Lock)
            return Sinks.ToArray();
    }

    public static IReadOnlyList<LogTraceSinkStatus> Snapshot()
    {
        var sinks = All();
        var statuses = new List<LogTraceSinkStatus>(sinks.Length);
        foreach (var sink in sinks)
        {
            var duplicate = Array.Exists(sinks, other => !ReferenceEquals(other, sink) && other.SameDestination(sink));
            try
            {
                statuses.Add(sink.Status(duplicate));
            }
            catch (ObjectDisposedException)
            {
                // Disposed while the snapshot was taken: it is gone.
            }
        }
        return statuses;
    }
}
