using System;

namespace Serilog.Sinks.LogTrace;

// One place for every default, so the flat WriteTo.LogTrace(...) overload, the options class and the docs agree.
static class LogTraceDefaults
{
    internal const string ApiKeyVariable = "LOGTRACE_API_KEY";
    internal const string EndpointVariable = "LOGTRACE_ENDPOINT";
    internal const string Endpoint = "https://api.logtracehq.com/v1/developers";
    internal const int BatchSizeLimit = 100;
    internal static readonly TimeSpan Period = TimeSpan.FromSeconds(2);
    // 100 minutes of what the service accepts from one address (100 requests a minute): an application within that
    // rate rides out an outage that long; a longer one, or a faster application, needs the durable buffer, not more
    // memory (docs/benchmarks.md, "Backlog").
    internal const int QueueLimit = 10_000;
    internal const long QueueLimitBytes = 128L * 1024 * 1024;
    internal const int MaxConcurrentRequests = 4;
    internal static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);
    internal static readonly TimeSpan RetryTimeLimit = TimeSpan.FromMinutes(10);
    internal static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(10);
    internal const string FallbackUserName = "anonymous";
    internal const int MaxStringLength = 16_384;
    internal const int MaxMetadataBytes = 65_536;
    internal const long BufferSizeLimitBytes = 1024L * 1024 * 1024;
}
