using System.Reflection;
using PublicApiGenerator;
using Serilog.Sinks.LogTrace.AspNetCore;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests;

[Trait("Category", "PublicApi")]
public class PublicApiTests
{
    static string PublicApi(Assembly assembly) => assembly.GeneratePublicApi(new ApiGeneratorOptions
    {
        // Extension methods live in the namespaces their users already import.
        AllowNamespacePrefixes = new[] { "Microsoft.AspNetCore.Builder", "Microsoft.Extensions.Logging", "Microsoft.Extensions.DependencyInjection" },
        ExcludeAttributes = new[]
        {
            "System.Runtime.Versioning.TargetFrameworkAttribute",
            "System.Reflection.AssemblyMetadataAttribute",
            "System.Runtime.CompilerServices.InternalsVisibleToAttribute",
        },
    });

    [Fact]
    public void ThePublicApiIsApproved() =>
        Approvals.Verify(PublicApi(typeof(LogTraceSinkOptions).Assembly), "public-api", "txt");

    [Fact]
    public void TheAspNetCorePublicApiIsApproved() =>
        Approvals.Verify(PublicApi(typeof(LogTraceHttpContextOptions).Assembly), "public-api-aspnetcore", "txt");

    [Fact]
    public void TheHealthChecksPublicApiIsApproved() =>
        Approvals.Verify(PublicApi(typeof(LogTraceHealthCheckOptions).Assembly), "public-api-healthchecks", "txt");

    [Fact]
    public void TheTestingPublicApiIsApproved() =>
        Approvals.Verify(PublicApi(typeof(Serilog.Sinks.LogTrace.Testing.LogTraceTestServer).Assembly), "public-api-testing", "txt");

    // The durable buffer's package is switched on by bufferPath alone: it adds nothing a user calls.
    [Fact]
    public void TheDurablePackageHasNoPublicApi() =>
        Assert.DoesNotContain("public ", PublicApi(typeof(Serilog.Sinks.LogTrace.Durable.SqliteEventStoreFactory).Assembly));
}
