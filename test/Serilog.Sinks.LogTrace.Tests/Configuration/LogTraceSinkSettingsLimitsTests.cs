using Serilog.Sinks.LogTrace.Configuration;
using static Serilog.Sinks.LogTrace.Tests.Support.Some;

namespace Serilog.Sinks.LogTrace.Tests.Configuration;

// Every numeric option is checked when the logger is configured, and the error names the setting both ways: as the
// parameter of WriteTo.LogTrace(...) and as the LogTraceSinkOptions property.
public class LogTraceSinkSettingsLimitsTests
{
    static LogTraceSinkSettings Create(Action<LogTraceSinkOptions> configure) => Support.TestSettings.Create(configure);

    static readonly (string Parameter, string Option, Action<LogTraceSinkOptions, int> Set)[] IntLimits =
    {
        ("batchSizeLimit", "BatchSizeLimit", (o, v) => o.BatchSizeLimit = v),
        ("queueLimit", "QueueLimit", (o, v) => o.QueueLimit = v),
        ("maxConcurrentRequests", "MaxConcurrentRequests", (o, v) => o.MaxConcurrentRequests = v),
        ("maxStringLength", "MaxStringLength", (o, v) => o.MaxStringLength = v),
        ("maxMetadataBytes", "MaxMetadataBytes", (o, v) => o.MaxMetadataBytes = v),
    };

    static readonly (string Parameter, string Option, Action<LogTraceSinkOptions, TimeSpan> Set)[] DurationLimits =
    {
        ("period", "Period", (o, v) => o.Period = v),
        ("requestTimeout", "RequestTimeout", (o, v) => o.RequestTimeout = v),
        ("shutdownTimeout", "ShutdownTimeout", (o, v) => o.ShutdownTimeout = v),
    };

    public static TheoryData<string, int> NonPositiveIntLimits()
    {
        var data = new TheoryData<string, int>();
        foreach (var limit in IntLimits)
        {
            data.Add(limit.Parameter, 0);
            data.Add(limit.Parameter, -1);
            data.Add(limit.Parameter, int.MinValue);
        }
        return data;
    }

    public static TheoryData<string, long> NonPositiveDurationTicks()
    {
        var data = new TheoryData<string, long>();
        foreach (var limit in DurationLimits)
        {
            data.Add(limit.Parameter, 0);
            data.Add(limit.Parameter, -1);
            data.Add(limit.Parameter, TimeSpan.FromSeconds(-30).Ticks);
        }
        return data;
    }

    public static TheoryData<string> IntLimitNames() => new(IntLimits.Select(l => l.Parameter));

    public static TheoryData<string> DurationLimitNames() => new(DurationLimits.Select(l => l.Parameter));

    [Theory]
    [MemberData(nameof(NonPositiveIntLimits))]
    public void AZeroOrNegativeIntLimitIsRejectedNamingTheParameter(string parameter, int value)
    {
        var limit = IntLimits.Single(l => l.Parameter == parameter);

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Create(o => limit.Set(o, value)));

        Assert.Equal(parameter, ex.ParamName);
        Assert.Contains($"{parameter} (LogTraceSinkOptions.{limit.Option}) must be greater than zero", ex.Message);
        Assert.Equal(value, ex.ActualValue);
    }

    [Theory]
    [MemberData(nameof(IntLimitNames))]
    public void AnIntLimitOfOneIsAccepted(string parameter)
    {
        var limit = IntLimits.Single(l => l.Parameter == parameter);

        Create(o => limit.Set(o, 1));
    }

    [Theory]
    [MemberData(nameof(NonPositiveDurationTicks))]
    public void AZeroOrNegativeDurationIsRejectedNamingTheParameter(string parameter, long ticks)
    {
        var limit = DurationLimits.Single(l => l.Parameter == parameter);

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Create(o => limit.Set(o, TimeSpan.FromTicks(ticks))));

        Assert.Equal(parameter, ex.ParamName);
        Assert.Contains($"{parameter} (LogTraceSinkOptions.{limit.Option}) must be greater than zero", ex.Message);
    }

    [Theory]
    [MemberData(nameof(DurationLimitNames))]
    public void ADurationOfOneMillisecondIsAccepted(string parameter)
    {
        var limit = DurationLimits.Single(l => l.Parameter == parameter);

        Create(o => limit.Set(o, TimeSpan.FromMilliseconds(1)));
    }

    [Fact]
    public void TheShutdownTimeoutIsKeptAsConfigured() =>
        Assert.Equal(TimeSpan.FromSeconds(3), Create(o => o.ShutdownTimeout = TimeSpan.FromSeconds(3)).Options.ShutdownTimeout);

    [Fact]
    public void ARetryTimeLimitOfZeroIsAcceptedAndMeansNoRetries() =>
        Assert.Equal(TimeSpan.Zero, Create(o => o.RetryTimeLimit = TimeSpan.Zero).Options.RetryTimeLimit);

    [Theory]
    [InlineData(-1)]
    [InlineData(-10_000_000)]
    public void ANegativeRetryTimeLimitIsRejectedNamingTheParameter(long ticks)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Create(o => o.RetryTimeLimit = TimeSpan.FromTicks(ticks)));

        Assert.Equal("retryTimeLimit", ex.ParamName);
        Assert.Contains("retryTimeLimit", ex.Message);
        Assert.Contains("must not be negative", ex.Message);
    }

    [Fact]
    public void WithoutATimeProviderConfiguringFails() =>
        Assert.Throws<ArgumentNullException>(() => Create(o => o.TimeProvider = null!));

    [Theory]
    [InlineData(65)]
    [InlineData(100_000)]
    [InlineData(int.MaxValue)]
    public void MoreThan64ConcurrentRequestsAreRejectedNamingTheLimit(int value)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Create(o => o.MaxConcurrentRequests = value));
        Assert.Equal("maxConcurrentRequests", ex.ParamName);
        Assert.Contains("must be at most 64", ex.Message);
        Assert.Contains("MaxConcurrentRequests", ex.Message);
    }

    [Fact]
    public void SixtyFourConcurrentRequestsAreAccepted() =>
        Assert.Equal(64, Create(o => o.MaxConcurrentRequests = 64).Options.MaxConcurrentRequests);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t")]
    public void ABlankBufferPathIsAnErrorNotAWayToTurnTheBufferOff(string path)
    {
        var ex = Assert.Throws<ArgumentException>(() => Create(o => o.BufferPath = path));
        Assert.Equal("bufferPath", ex.ParamName);
        Assert.Contains("blank", ex.Message);
    }

    [Fact]
    public void NoBufferPathMeansMemoryOnly() =>
        Assert.Null(Create(o => o.BufferPath = null).Options.BufferPath);

    [Fact]
    public void ARelativeBufferPathIsUnderTheApplicationsBaseDirectoryNotTheCurrentOne()
    {
        var resolved = Create(o => o.BufferPath = Path.Combine("data", "logtrace")).Options.BufferPath;

        Assert.Equal(Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "data", "logtrace")), resolved);
    }

    [Fact]
    public void AnAbsoluteBufferPathIsKeptAsItIs()
    {
        var absolute = Path.Combine(Path.GetTempPath(), "logtrace-absolute");

        Assert.Equal(Path.GetFullPath(absolute), Create(o => o.BufferPath = absolute).Options.BufferPath);
    }
}
