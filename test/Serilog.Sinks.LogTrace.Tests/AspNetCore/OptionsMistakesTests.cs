using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Serilog.Sinks.LogTrace.AspNetCore;

namespace Serilog.Sinks.LogTrace.Tests.AspNetCore;

// The request-context options bound from appsettings.json: a mistake fails at startup, as the sink's own do, instead
// of silently doing something else than the file says.
public class OptionsMistakesTests
{
    static IApplicationBuilder App(string key, string value)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["LogTrace:HttpContext:" + key] = value })
            .Build();
        var services = new ServiceCollection();
        services.AddLogTraceHttpContext(configuration.GetSection("LogTrace:HttpContext"));
        return new ApplicationBuilder(services.BuildServiceProvider());
    }

    [Theory]
    [InlineData("IncludeHeaders:0", "Accept")]       // IncludedHeaders: the allow-list is lost, every header is sent
    [InlineData("TrustForwardedHeaders", "true")]    // TrustForwardingHeaders
    [InlineData("IncludeQueryStrings", "true")]      // IncludeQueryString
    public void AMisspeltOptionInTheSectionFailsAtStartup(string key, string value)
    {
        var ex = Assert.ThrowsAny<InvalidOperationException>(() => App(key, value).UseLogTraceHttpContext());
        Assert.Contains(key.Split(':')[0], ex.Message);
    }

    [Theory]
    [InlineData("MaxEventHold", "5")]             // 5 days, not 5 seconds
    [InlineData("AttachAfterCompletion", "30")]   // 30 days: a loop started in a request carries its user for a month
    public void ABareNumberOfDaysFailsAtStartup(string key, string value)
    {
        var ex = Assert.Throws<InvalidOperationException>(() => App(key, value).UseLogTraceHttpContext());
        Assert.Contains(key, ex.Message);
    }

    // "IncludedHeaders": [] says "no headers"; the JSON provider keeps an empty array as an empty value, which the binder
    // skips, so the option stayed null: every header.
    [Fact]
    public void AnEmptyIncludedHeadersListInAppSettingsJsonCapturesNoHeaders()
    {
        const string json = "{ \"LogTrace\": { \"HttpContext\": { \"IncludedHeaders\": [] } } }";
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
        var services = new ServiceCollection();
        services.AddLogTraceHttpContext(configuration.GetSection("LogTrace:HttpContext"));

        var options = services.BuildServiceProvider().GetRequiredService<IOptions<LogTraceHttpContextOptions>>().Value;

        Assert.NotNull(options.IncludedHeaders);
        Assert.Empty(options.IncludedHeaders);
    }

    [Theory]
    [InlineData("Authorization")]
    [InlineData("x-api-key")]
    public void ASensitiveHeaderAsTheRequestIdFailsAtStartup(string header)
    {
        var ex = Assert.Throws<InvalidOperationException>(() => App("RequestIdHeader", header).UseLogTraceHttpContext());
        Assert.Contains("RequestIdHeader", ex.Message);
    }

    [Fact]
    public void NullArgumentsAreNamed()
    {
        var configuration = new ConfigurationBuilder().Build();
        Assert.Equal("services", Assert.Throws<ArgumentNullException>(() => LogTraceHttpContextExtensions.AddLogTraceHttpContext(null!, configuration)).ParamName);
        Assert.Equal("configuration", Assert.Throws<ArgumentNullException>(() => new ServiceCollection().AddLogTraceHttpContext((IConfiguration)null!)).ParamName);
        Assert.Equal("app", Assert.Throws<ArgumentNullException>(() => LogTraceHttpContextExtensions.UseLogTraceHttpContext(null!)).ParamName);
    }
}
