using System.Reflection;

namespace Serilog.Sinks.LogTrace.Tests.Support;

// Approved files kept in the repository (Verify cannot be restored here). A mismatch or a missing file fails the
// test and writes <name>.received.<ext> beside the approved file: review it, then rename it to approve.
static class Approvals
{
    public static void Verify(string actual, string name, string extension = "json")
    {
        var directory = Path.Combine(TestProjectDirectory(), "Approved");
        var approvedPath = Path.Combine(directory, $"{name}.approved.{extension}");
        var receivedPath = Path.Combine(directory, $"{name}.received.{extension}");
        var normalized = actual.Replace("\r\n", "\n");

        if (System.IO.File.Exists(approvedPath) && System.IO.File.ReadAllText(approvedPath).Replace("\r\n", "\n") == normalized)
        {
            if (System.IO.File.Exists(receivedPath))
                System.IO.File.Delete(receivedPath);
            return;
        }

        Directory.CreateDirectory(directory);
        System.IO.File.WriteAllText(receivedPath, normalized);
        Assert.Fail(System.IO.File.Exists(approvedPath)
            ? $"{name} differs from {approvedPath}; see {receivedPath}."
            : $"No approved file {approvedPath}; review {receivedPath} and rename it to approve.");
    }

    static string TestProjectDirectory() =>
        typeof(Approvals).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "TestProjectDirectory").Value
        ?? throw new InvalidOperationException("The test assembly does not record its project directory.");
}
