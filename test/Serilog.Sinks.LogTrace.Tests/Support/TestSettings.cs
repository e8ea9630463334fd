using Serilog.Sinks.LogTrace.Configuration;

namespace Serilog.Sinks.LogTrace.Tests.Support;

static class TestSettings
{
    // The settings the sink would build from these options, with the test key and no environment variables.
    public static LogTraceSinkSettings Create(Action<LogTraceSinkOptions>? configure = null)
    {
        var options = new LogTraceSinkOptions { ApiKey = Some.ApiKey };
        configure?.Invoke(options);
        return LogTraceSinkSettings.Create(options, _ => null);
    }
}
