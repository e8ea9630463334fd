using Serilog.Sinks.LogTrace.Configuration;
using Serilog.Sinks.LogTrace.Tests.Support;

using static Serilog.Sinks.LogTrace.Tests.Support.Some;

namespace Serilog.Sinks.LogTrace.Tests.Configuration;

public class LogTraceSinkSettingsTests
{
    static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    static LogTraceSinkSettings Create(Action<LogTraceSinkOptions>? configure = null, Func<string, string?>? environment = null)
    {
        var options = new LogTraceSinkOptions { ApiKey = ApiKey };
        configure?.Invoke(options);
        return LogTraceSinkSettings.Create(options, environment ?? Environment());
    }

    [Fact]
    public void WithoutAnyApiKeyConfiguringFailsAndNamesBothWaysToProvideOne()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => Create(o => o.ApiKey = null));
        Assert.Contains("apiKey", ex.Message);
        Assert.Contains("LOGTRACE_API_KEY", ex.Message);
    }

    [Fact]
    public void AnUnexpandedEnvironmentPlaceholderIsReportedAsAMissingVariable()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => Create(o => o.ApiKey = "%MY_LOGTRACE_KEY%"));
        Assert.Contains("MY_LOGTRACE_KEY", ex.Message);
        Assert.Contains("not set", ex.Message);
    }

    [Fact]
    public void TheApiKeyAndEndpointFallBackToEnvironmentVariables()
    {
        var settings = Create(o => o.ApiKey = null, Environment(("LOGTRACE_API_KEY", "lg_fromenv0001"), ("LOGTRACE_ENDPOINT", "https://collector.example/v1/developers/")));
        Assert.Equal("lg_fromenv0001", settings.ApiKey);
        Assert.Equal("https://collector.example/v1/developers/events", settings.EventsUri.ToString());
    }

    [Fact]
    public void ConfiguredValuesWinOverEnvironmentVariables()
    {
        var settings = Create(o => o.Endpoint = "https://configured.example/v1/developers",
            Environment(("LOGTRACE_API_KEY", "lg_fromenv0001"), ("LOGTRACE_ENDPOINT", "https://env.example/v1/developers")));
        Assert.Equal(ApiKey, settings.ApiKey);
        Assert.Equal("configured.example", settings.EventsUri.Host);
    }

    [Fact]
    public void TheDefaultEndpointIsTheOfficialDevelopersRoute() =>
        Assert.Equal("https://api.logtracehq.com/v1/developers/events", Create().EventsUri.ToString());

    [Theory]
    [InlineData("https://api.example.com/v1/developers")]
    [InlineData("https://api.example.com/v1/developers/")]
    [InlineData("https://api.example.com/v1/developers/events")]
    [InlineData("https://api.example.com/v1/developers/events/")]
    [InlineData("  https://api.example.com/v1/developers  ")]
    public void EndpointsAreNormalised(string endpoint) =>
        Assert.Equal("https://api.example.com/v1/developers/events", Create(o => o.Endpoint = endpoint).EventsUri.ToString());

    [Theory]
    [InlineData("not a url")]
    [InlineData("api.logtracehq.com/v1/developers")]
    [InlineData("ftp://api.logtracehq.com/v1/developers")]
    [InlineData("https://api.logtracehq.com/v1/developers?x=1")]
    public void AnEndpointThatIsNotAnAbsoluteHttpUrlFails(string endpoint)
    {
        var ex = Assert.Throws<ArgumentException>(() => Create(o => o.Endpoint = endpoint));
        Assert.Contains("endpoint", ex.Message);
        Assert.Contains("https://api.logtracehq.com/v1/developers", ex.Message);
    }

    [Fact]
    public void AnApiKeyPassedAsEndpointIsNotEchoed()
    {
        var ex = Assert.Throws<ArgumentException>(() => Create(o => o.Endpoint = ApiKey));
        Assert.DoesNotContain(ApiKey, ex.Message);
    }

    public static TheoryData<string, Action<LogTraceSinkOptions>> NonPositiveLimits => new()
    {
        { "batchSizeLimit", o => o.BatchSizeLimit = 0 },
        { "queueLimit", o => o.QueueLimit = -1 },
        { "maxConcurrentRequests", o => o.MaxConcurrentRequests = 0 },
        { "maxStringLength", o => o.MaxStringLength = 0 },
        { "maxMetadataBytes", o => o.MaxMetadataBytes = -5 },
        { "period", o => o.Period = TimeSpan.Zero },
        { "requestTimeout", o => o.RequestTimeout = TimeSpan.FromSeconds(-1) },
    };

    [Theory]
    [MemberData(nameof(NonPositiveLimits))]
    public void NonPositiveLimitsFailAndNameTheSetting(string parameter, Action<LogTraceSinkOptions> configure)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Create(configure));
        Assert.Equal(parameter, ex.ParamName);
        Assert.Contains("must be greater than zero", ex.Message);
    }
}

[Collection(SelfLogCollection.Name)]
public class LogTraceSinkSettingsWarningTests
{
    static void Create(string endpoint, string apiKey = "lg_0123456789abcdef") =>
        LogTraceSinkSettings.Create(new LogTraceSinkOptions { ApiKey = apiKey, Endpoint = endpoint }, _ => null);

    [Fact]
    public void PlainHttpToARemoteHostWorksButWarns()
    {
        using var selfLog = new SelfLogCollector();
        Create("http://logtrace.internal.example/v1/developers");
        Assert.Contains(selfLog.Lines, l => l.Contains("http://") && l.Contains("unencrypted"));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080/v1/developers")]
    [InlineData("http://localhost:5080/v1/developers")]
    [InlineData("http://[::1]:5080/v1/developers")]
    public void PlainHttpToLoopbackDoesNotWarn(string endpoint)
    {
        using var selfLog = new SelfLogCollector();
        Create(endpoint);
        Assert.Empty(selfLog.Lines);
    }

    [Fact]
    public void TheOfficialHostOutsideTheDevelopersRouteWarns()
    {
        using var selfLog = new SelfLogCollector();
        Create("https://api.logtracehq.com/v1/events");
        Assert.Contains(selfLog.Lines, l => l.Contains("/v1/developers") && l.Contains("401"));
    }

    [Fact]
    public void AKeyThatDoesNotLookLikeALogTraceKeyWarnsWithoutShowingIt()
    {
        using var selfLog = new SelfLogCollector();
        Create("https://api.logtracehq.com/v1/developers", apiKey: "abcdef0123");
        Assert.Contains(selfLog.Lines, l => l.Contains("lg_"));
        Assert.DoesNotContain("abcdef0123", selfLog.Text);
    }
}
