using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Xunit.Abstractions;

namespace Serilog.Sinks.LogTrace.Tests;

// Each test leg runs the build it is for on the runtime it is for: net10.0 on .NET 10, net8.0 on the app-local
// .NET 8 runtime (self-contained, as only .NET 10 is installed), and the netstandard2.0 build on the installed runtime.
public class TargetFrameworkTests(ITestOutputHelper output)
{
    [Fact]
    public void TheSinkUnderTestIsTheBuildOfThisLeg()
    {
        var built = typeof(LogTraceSinkOptions).Assembly.GetCustomAttribute<TargetFrameworkAttribute>()!.FrameworkName;
        output.WriteLine("sink build: " + built);
#if LOGTRACE_NETSTANDARD_LEG
        Assert.Equal(".NETStandard,Version=v2.0", built);
#elif NET8_0
        Assert.Equal(".NETCoreApp,Version=v8.0", built);
#else
        Assert.Equal(".NETCoreApp,Version=v10.0", built);
#endif
    }

    [Fact]
    public void TheTestsRunOnTheRuntimeOfThisLeg()
    {
        var coreclr = OperatingSystem.IsLinux()
            ? System.IO.File.ReadLines("/proc/self/maps").Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault())
                .FirstOrDefault(p => p != null && p.EndsWith("/libcoreclr.so", StringComparison.Ordinal))
            : null;
        output.WriteLine(RuntimeInformation.FrameworkDescription + "; libcoreclr: " + (coreclr ?? "(not read on this OS)"));
#if NET8_0
        Assert.Equal(8, Environment.Version.Major);
        if (coreclr != null)
            Assert.StartsWith(AppContext.BaseDirectory, coreclr);
#else
        Assert.Equal(10, Environment.Version.Major);
#endif
    }
}
