namespace LogTrace.Collector;

/// <summary>How the local collector behaves. Bound from the "Collector" configuration section when run on its own.</summary>
public sealed class CollectorOptions
{
    /// <summary>The API keys accepted. Empty: any non-empty key is accepted (handy for local runs).</summary>
    public List<string> ApiKeys { get; set; } = new();

    /// <summary>Requests allowed per client IP in one window, like the service's limiter. Default 100.</summary>
    public int RateLimit { get; set; } = 100;

    /// <summary>The limiter's sliding window. Default 60 seconds.</summary>
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Switches the limiter off (no 429, no X-RateLimit-* headers).</summary>
    public bool RateLimitEnabled { get; set; } = true;

    /// <summary>The clock of the limiter and of the received-at stamps.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
