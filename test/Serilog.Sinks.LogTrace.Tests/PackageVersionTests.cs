using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Http;

namespace Serilog.Sinks.LogTrace.Tests;

// The package version is said once: the User-Agent and the meter name the same release, without SourceLink's commit.
public class PackageVersionTests
{
    [Fact]
    public void TheUserAgentAndTheMeterNameTheSameVersionWithoutTheCommit()
    {
        using var counters = new LogTraceSinkCounters();

        Assert.Equal("Serilog.Sinks.LogTrace/" + counters.Meter.Version, HttpLogTraceApi.UserAgent);
        Assert.DoesNotContain("+", PackageVersion.Current);
        Assert.Matches(@"^\d+\.\d+\.\d+", PackageVersion.Current);
    }
}
