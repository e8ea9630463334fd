using PublicApiGenerator;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests;

public class PublicApiTests
{
    [Fact]
    public void ThePublicApiIsApproved()
    {
        var api = typeof(LogTraceSinkOptions).Assembly.GeneratePublicApi(new ApiGeneratorOptions
        {
            ExcludeAttributes = new[]
            {
                "System.Runtime.Versioning.TargetFrameworkAttribute",
                "System.Reflection.AssemblyMetadataAttribute",
                "System.Runtime.CompilerServices.InternalsVisibleToAttribute",
            },
        });
        Approvals.Verify(api, "public-api", "txt");
    }
}
