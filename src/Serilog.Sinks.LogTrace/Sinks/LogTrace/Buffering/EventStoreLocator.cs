using System;

namespace Serilog.Sinks.LogTrace.Buffering;

// Finds the durable buffer (all of its code and its storage engine) in the Serilog.Sinks.LogTrace.Durable package,
// which an application that sets bufferPath references beside this one. It is looked up by name so that this package
// does not depend on it: the engine is native code (SQLite), which applications without a buffer should not carry,
// and bufferPath alone (from appsettings.json, say) must switch it on, with nothing in the application referring to
// the package's types.
static class EventStoreLocator
{
    internal const string DurablePackage = "Serilog.Sinks.LogTrace.Durable";
    const string FactoryTypeName = "Serilog.Sinks.LogTrace.Durable.DurablePipeline, " + DurablePackage;

    public static DurableBuffer Locate()
    {
        Type? type;
        try
        {
            type = Type.GetType(FactoryTypeName, throwOnError: false);
        }
        catch (Exception ex) when (ex is System.IO.IOException or BadImageFormatException)
        {
            throw Missing(ex);
        }
        if (type == null)
            throw Missing(null);

        // The store implements this package's internal types: another version would fail later, and less clearly. The
        // package version (a prerelease included), not the assembly version, which prereleases share.
        var expected = PackageVersion(typeof(EventStoreLocator).Assembly);
        var found = PackageVersion(type.Assembly);
        if (found != expected)
        {
            throw new InvalidOperationException("The LogTrace sink's bufferPath needs " + DurablePackage + " of the same version as Serilog.Sinks.LogTrace (" +
                expected + "), but this application has version " + found + " of it: reference the same version of both packages.");
        }
        return (DurableBuffer)Activator.CreateInstance(type, nonPublic: true)!;
    }

    internal static string PackageVersion(System.Reflection.Assembly assembly) => LogTrace.PackageVersion.Of(assembly);

    static InvalidOperationException Missing(Exception? inner) =>
        new("The LogTrace sink's bufferPath is set, but the durable buffer's package is not part of this application: add a reference to the " +
            DurablePackage + " NuGet package (the same version as Serilog.Sinks.LogTrace), or leave bufferPath unset.", inner);
}
