using System.Runtime.CompilerServices;

namespace Serilog.Sinks.LogTrace.Tests.Support;

// Approved files kept in the repository (Verify cannot be restored here). A mismatch or a missing file fails the
// test and writes <name>.received.<ext> beside the approved file: review it, then rename it to approve.
static class Approvals
{
    public static void Verify(string actual, string name, string extension = "json", [CallerFilePath] string callerFile = "")
    {
        var directory = Path.Combine(FindTestProjectDirectory(callerFile), "Approved");
        var approvedPath = Path.Combine(directory, $"{name}.approved.{extension}");
        var receivedPath = Path.Combine(directory, $"{name}.received.{extension}");
        var normalized = actual.Replace("\r\n", "\n");

        if (File.Exists(approvedPath) && File.ReadAllText(approvedPath).Replace("\r\n", "\n") == normalized)
        {
            if (File.Exists(receivedPath))
                File.Delete(receivedPath);
            return;
        }

        Directory.CreateDirectory(directory);
        File.WriteAllText(receivedPath, normalized);
        Assert.Fail(File.Exists(approvedPath)
            ? $"{name} differs from {approvedPath}; see {receivedPath}."
            : $"No approved file {approvedPath}; review {receivedPath} and rename it to approve.");
    }

    static string FindTestProjectDirectory(string callerFile)
    {
        var directory = Path.GetDirectoryName(callerFile)!;
        while (!File.Exists(Path.Combine(directory, "Serilog.Sinks.LogTrace.Tests.csproj")))
            directory = Path.GetDirectoryName(directory) ?? throw new InvalidOperationException("Test project directory not found from " + callerFile);
        return directory;
    }
}
