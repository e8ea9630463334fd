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
}
