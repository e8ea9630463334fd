using System.Reflection;
using Microsoft.Extensions.Configuration;
using Serilog.Sinks.LogTrace.Configuration;
using static Serilog.Sinks.LogTrace.Tests.Support.Some;

namespace Serilog.Sinks.LogTrace.Tests.Configuration;

// Values that would fail every request, inject a header line, or mean something else than the user wrote fail when
// the logger is configured, with the sink's own message, and never echo the key.
public class ConfigurationSafetyTests
{
    static LogTraceSinkSettings Create(Action<LogTraceSinkOptions> configure) => Support.TestSettings.Create(configure);

    [Theory]
    [InlineData("lg_0123456789abcdef\r\nX-Injected: 1", "a line break")]
    [InlineData("lg_0123456789abcdef\nX-Injected: 1", "a line break")]
    [InlineData("lg_0123456789abcdéf0123456789abcdef", "a non-ASCII character")]
    [InlineData("lg_0123456789abcdef\u00000123456789", "a control character")]
    [InlineData("lg_0123456789 abcdef0123456789abcdef", "a space")]
    [InlineData("lg_0123456789abcdef\u2028x", "a non-ASCII character")]
    [InlineData("lg_0123456789abcdef\t0123456789", "a control character")]
    public void AKeyThatCannotTravelInAHeaderIsRejectedWithoutEchoingIt(string key, string what)
    {
        var ex = Assert.Throws<ArgumentException>(() => Create(o => o.ApiKey = key));

        Assert.Equal("apiKey", ex.ParamName);
        Assert.Contains(what, ex.Message);
        Assert.DoesNotContain("0123456789", ex.Message);
        Assert.DoesNotContain("X-Injected", ex.Message);
    }

    [Fact]
    public void AKeyWithAnAuthorizationSchemeSaysToGiveTheKeyAlone()
    {
        var ex = Assert.Throws<ArgumentException>(() => Create(o => o.ApiKey = "Bearer " + ApiKey));

        Assert.Contains("X-API-Key", ex.Message);
        Assert.DoesNotContain(ApiKey, ex.Message);
    }

    [Fact]
    public void AKeyWithSurroundingWhitespaceIsTrimmedAndAccepted() =>
        Assert.Equal(ApiKey, Create(o => o.ApiKey = "  " + ApiKey + "\n").ApiKey);

    [Theory]
    [InlineData("https://api.logtracehq.com/v1/dev\r\nelopers")]
    [InlineData("https://api.logtracehq.com/v1/developers\tx")]
    [InlineData("https://api.logtracehq.com/v1/my developers")]
    public void AnEndpointWithControlCharactersOrSpacesIsRejected(string endpoint)
    {
        var ex = Assert.Throws<ArgumentException>(() => Create(o => o.Endpoint = endpoint));
        Assert.Equal("endpoint", ex.ParamName);
    }

    [Fact]
    public void AnEndpointWithCredentialsIsRejectedWithoutEchoingThem()
    {
        var ex = Assert.Throws<ArgumentException>(() => Create(o => o.Endpoint = "https://jane:hunter2secret@api.logtracehq.com/v1/developers"));

        Assert.Equal("endpoint", ex.ParamName);
        Assert.DoesNotContain("hunter2secret", ex.Message);
    }

    public static TheoryData<string, Action<LogTraceSinkOptions>, string> UnitMistakes => new()
    {
        // What "5" and "30" in appsettings.json become: days.
        { "period", o => o.Period = TimeSpan.FromDays(5), "did you mean \"00:00:05\"" },
        { "requestTimeout", o => o.RequestTimeout = TimeSpan.FromDays(30), "did you mean \"00:00:30\"" },
        { "shutdownTimeout", o => o.ShutdownTimeout = TimeSpan.FromDays(10), "did you mean \"00:00:10\"" },
        { "retryTimeLimit", o => o.RetryTimeLimit = TimeSpan.FromDays(2), "did you mean \"00:00:02\"" },
    };

    [Theory]
    [MemberData(nameof(UnitMistakes))]
    public void ADurationOfWholeDaysOutsideItsRangeSuggestsSeconds(string parameter, Action<LogTraceSinkOptions> configure, string suggestion)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Create(configure));

        Assert.Equal(parameter, ex.ParamName);
        Assert.Contains("days", ex.Message);
        Assert.Contains(suggestion, ex.Message);
    }

    public static TheoryData<string, Action<LogTraceSinkOptions>> JustOutside => new()
    {
        { "period", o => o.Period = TimeSpan.FromHours(1) + TimeSpan.FromTicks(1) },
        { "requestTimeout", o => o.RequestTimeout = TimeSpan.FromMinutes(10) + TimeSpan.FromTicks(1) },
        { "shutdownTimeout", o => o.ShutdownTimeout = TimeSpan.FromMinutes(10) + TimeSpan.FromTicks(1) },
        { "retryTimeLimit", o => o.RetryTimeLimit = TimeSpan.FromDays(1) + TimeSpan.FromTicks(1) },
        { "period", o => o.Period = TimeSpan.FromTicks(1) },
        { "requestTimeout", o => o.RequestTimeout = TimeSpan.FromTicks(9_999) },
        { "shutdownTimeout", o => o.ShutdownTimeout = TimeSpan.FromTicks(1) },
        { "shutdownTimeout", o => o.ShutdownTimeout = TimeSpan.Zero },
        { "shutdownTimeout", o => o.ShutdownTimeout = TimeSpan.FromSeconds(-1) },
        { "retryTimeLimit", o => o.RetryTimeLimit = TimeSpan.FromTicks(-1) },
    };

    [Theory]
    [MemberData(nameof(JustOutside))]
    public void DurationsJustOutsideTheirRangeAreRejected(string parameter, Action<LogTraceSinkOptions> configure)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Create(configure));
        Assert.Equal(parameter, ex.ParamName);
    }

    [Fact]
    public void DurationsAtTheEdgesOfTheirRangeAreAccepted()
    {
        var longest = Create(o =>
        {
            o.Period = TimeSpan.FromHours(1);
            o.RequestTimeout = TimeSpan.FromMinutes(10);
            o.ShutdownTimeout = TimeSpan.FromMinutes(10);
            o.RetryTimeLimit = TimeSpan.FromDays(1);
        });
        var shortest = Create(o =>
        {
            o.Period = TimeSpan.FromMilliseconds(1);
            o.RequestTimeout = TimeSpan.FromMilliseconds(1);
            o.ShutdownTimeout = TimeSpan.FromMilliseconds(1);
            o.RetryTimeLimit = TimeSpan.Zero;
        });

        Assert.Equal(TimeSpan.FromDays(1), longest.Options.RetryTimeLimit);
        Assert.Equal(TimeSpan.Zero, shortest.Options.RetryTimeLimit);
    }

    [Theory]
    [InlineData("period", "5", "00:00:05")]
    [InlineData("requestTimeout", "30", "00:00:30")]
    public void ABareNumberInAppSettingsFailsWithTheSinksOwnMessage(string parameter, string value, string meant)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Serilog:Using:0"] = "Serilog.Sinks.LogTrace",
                ["Serilog:WriteTo:0:Name"] = "LogTrace",
                ["Serilog:WriteTo:0:Args:apiKey"] = ApiKey,
                ["Serilog:WriteTo:0:Args:" + parameter] = value,
            })
            .Build();

        var ex = Assert.Throws<TargetInvocationException>(() => new LoggerConfiguration().ReadFrom.Configuration(configuration));

        var inner = Assert.IsType<ArgumentOutOfRangeException>(ex.InnerException);
        Assert.Equal(parameter, inner.ParamName);
        Assert.Contains(value + " days", inner.Message);
        Assert.Contains("did you mean \"" + meant + "\"", inner.Message);
    }

    [Fact]
    public void AKeyTooShortToBeKeptOutOfTheOutputIsRejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => Create(o => o.ApiKey = "lg_ab12"));
        Assert.Equal("apiKey", ex.ParamName);
        Assert.DoesNotContain("lg_ab12", ex.Message);
    }
}
