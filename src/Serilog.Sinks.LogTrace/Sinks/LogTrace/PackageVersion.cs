using System.Reflection;

namespace Serilog.Sinks.LogTrace;

// The package version (a prerelease included), said once: the User-Agent, the meter's version, and the check that the
// durable buffer's package matches this one all use it.
static class PackageVersion
{
    public static string Current { get; } = Of(typeof(PackageVersion).GetTypeInfo().Assembly);

    // The informational version without the "+<commit>" SourceLink appends: a release, not a build. Assemblies of
    // prereleases share their assembly version, so that is only the fallback.
    public static string Of(Assembly assembly)
    {
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (string.IsNullOrEmpty(informational))
            return assembly.GetName().Version?.ToString() ?? "0.0.0";
        var plus = informational!.IndexOf('+');
        return plus > 0 ? informational.Substring(0, plus) : informational;
    }
}
