using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Serilog.Sinks.LogTrace.Pipeline;
using Serilog.Sinks.LogTrace.AspNetCore;

namespace Serilog.Sinks.LogTrace.Tests.AspNetCore;

// LogTraceHttpContextOptions from an appsettings.json section, as the web sample keeps them.
public class OptionsBindingTests
{
    static LogTraceHttpContextOptions Bind(Dictionary<string, string?> values, Action<LogTraceHttpContextOptions>? configure = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogTraceHttpContext(configuration.GetSection("LogTrace:HttpContext"), configure);
        return services.BuildServiceProvider().GetRequiredService<IOptions<LogTraceHttpContextOptions>>().Value;
    }

    [Fact]
    public void EveryKindOfOptionIsReadFromTheSection()
    {
        var options = Bind(new()
        {
            ["LogTrace:HttpContext:MaxEventHold"] = "00:00:12",
            ["LogTrace:HttpContext:AttachAfterCompletion"] = "00:01:00",
            ["LogTrace:HttpContext:IncludeQueryString"] = "true",
            ["LogTrace:HttpContext:TrustForwardingHeaders"] = "true",
            ["LogTrace:HttpContext:RequestIdHeader"] = "X-Request-Id",
            ["LogTrace:HttpContext:MaxHeaderCount"] = "20",
            ["LogTrace:HttpContext:MaxHeaderValueLength"] = "100",
            ["LogTrace:HttpContext:IncludedHeaders:0"] = "Accept",
            ["LogTrace:HttpContext:IncludedHeaders:1"] = "X-Tenant",
            ["LogTrace:HttpContext:UserIdClaimTypes:0"] = "employee_id",
        });

        Assert.Equal(TimeSpan.FromSeconds(12), options.MaxEventHold);
        Assert.Equal(TimeSpan.FromMinutes(1), options.AttachAfterCompletion);
        Assert.True(options.IncludeQueryString);
        Assert.True(options.TrustForwardingHeaders);
        Assert.Equal("X-Request-Id", options.RequestIdHeader);
        Assert.Equal(20, options.MaxHeaderCount);
        Assert.Equal(100, options.MaxHeaderValueLength);
        // Header names compare ignoring case, as they do everywhere else.
        Assert.True(options.IncludedHeaders!.Contains("x-tenant"));
        Assert.Equal(2, options.IncludedHeaders.Count);
        Assert.Contains("employee_id", options.UserIdClaimTypes);
        Assert.Contains("sub", options.UserIdClaimTypes);
    }

    [Fact]
    public void CodeRunsAfterTheSectionAndUnsetOptionsKeepTheirDefaults()
    {
        var options = Bind(new() { ["LogTrace:HttpContext:MaxEventHold"] = "00:00:12" }, o => o.MaxEventHold = TimeSpan.FromSeconds(3));

        Assert.Equal(TimeSpan.FromSeconds(3), options.MaxEventHold);
        Assert.Equal(TimeSpan.FromSeconds(30), options.AttachAfterCompletion);
        Assert.Null(options.IncludedHeaders);
    }
}
