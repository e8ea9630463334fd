using Serilog.Sinks.LogTrace;

namespace LogTrace.Samples;

// Shared by the samples (linked into each project): what the sink says it delivered, from LogTraceStatus.
static class DeliveryReport
{
    // Flushes every LogTrace sink (LogTraceStatus.FlushAsync: what was logged so far delivered, or the deadline), then
    // one line per sink, naming its endpoint.
    public static async Task<string> WhenSentAsync(TimeSpan deadline)
    {
        await LogTraceStatus.FlushAsync(deadline);
        return string.Join(Environment.NewLine, LogTraceStatus.GetSinks().Select(Describe));
    }

    static string Describe(LogTraceSinkStatus s) =>
        $"LogTrace at {s.Endpoint}: {s.Sent} records delivered, {s.Queued} still queued, " +
        (s.Lost.Values.Sum() == 0
            ? "none lost"
            : "lost: " + string.Join(", ", s.Lost.Where(l => l.Value > 0).Select(l => $"{l.Value} {l.Key}")));
}
