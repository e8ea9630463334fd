using System.Text.Json;
using LogTrace.Collector;

namespace Serilog.Sinks.LogTrace.Tests.Support;

static class CollectorHelpers
{
    public const string ApiKey = Some.ApiKey;

    // Rate limiting off unless a test is about it: these tests count deliveries, not pacing.
    public static Task<RunningCollector> StartAsync(bool rateLimit = false) =>
        LogTraceCollector.StartAsync(new CollectorOptions { ApiKeys = { ApiKey }, RateLimitEnabled = rateLimit });

    public static string? Name(this CollectorRequest request) =>
        request.Body is { } body && body.TryGetProperty("name", out var name) ? name.GetString() : null;

    public static JsonElement Json(this CollectorRequest request) => request.Body ?? throw new InvalidOperationException("no body");
}
