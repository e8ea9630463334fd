using System.Collections.Generic;
using Serilog.Sinks.LogTrace.Pipeline;

namespace Serilog.Sinks.LogTrace;

/// <summary>
/// The LogTrace sinks of this process, however they were created (in code, from <c>appsettings.json</c>, through
/// <c>AddSerilog</c>/<c>UseSerilog</c> or the static <c>Log.Logger</c>): no reference to a sink is needed. The health
/// check of <c>Serilog.Sinks.LogTrace.HealthChecks</c> reads it.
/// </summary>
public static class LogTraceStatus
{
    /// <summary>A snapshot of every LogTrace sink created and not yet disposed, oldest first. Empty when there is
    /// none. Cheap enough for a health check's interval: it reads counters, and with a durable buffer runs one
    /// indexed query.</summary>
    public static IReadOnlyList<LogTraceSinkStatus> GetSinks() => LiveSinks.Snapshot();
}
