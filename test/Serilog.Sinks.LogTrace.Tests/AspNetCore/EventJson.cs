using System.Text.Json;
using LogTrace.Collector;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.AspNetCore;

// Reading the events the collector received.
static class EventJson
{
    public static JsonElement Details(CollectorRequest e) => e.Json().GetProperty("request_details");

    public static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static CollectorRequest Single(IEnumerable<CollectorRequest> events, string name) => Assert.Single(events, e => e.Name() == name);
}
