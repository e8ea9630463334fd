using System.Diagnostics;
using System.Reflection;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.TypedRecords;

// Packaging proven, not assumed: the core project is packed into a folder, and a tiny application that installs only
// that package (from the folder, as a NuGet source) declares typed records, builds, sees LOGTRACE003 for a misspelt
// marker, gets the opt-in JSON catalogue, and runs. The package's analyzers/dotnet/cs is the only way the generator can reach it.
public class PackageTests
{
    // Both legs pack the same project: one at a time, across processes.
    static readonly string LockPath = Path.Combine(Path.GetTempPath(), "logtrace-tests-pack.lock");

    [Fact]
    public void AnApplicationThatInstallsOnlyThePackageGetsTheGeneratorAndTheAnalyzer()
    {
        using var folder = new TempFolder();
        var feed = folder.Combine("feed");
        var app = folder.Combine("app");
        Directory.CreateDirectory(app);
        // A version of its own: the global package cache never hands back an earlier run's package.
        var version = "0.0.1-e2e" + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff");
        var core = Path.Combine(RepositoryRoot(), "src", "Serilog.Sinks.LogTrace", "Serilog.Sinks.LogTrace.csproj");

        using (var _ = AcquireLock())
            Run(RepositoryRoot(), "pack", core, "-c", "Release", "-o", feed, "-p:Version=" + version, "-p:IncludeSymbols=false");

        System.IO.File.WriteAllText(Path.Combine(app, "app.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <LogTraceRecordCatalogJson>true</LogTraceRecordCatalogJson>
                <RestorePackagesPath>{folder.Combine("packages")}</RestorePackagesPath>
                <RestoreAdditionalProjectFallbackFolders>{GlobalPackages()}</RestoreAdditionalProjectFallbackFolders>
                <RestoreSources>{feed};https://api.nuget.org/v3/index.json</RestoreSources>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Serilog.Sinks.LogTrace" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
        System.IO.File.WriteAllText(Path.Combine(app, "Program.cs"), """
            using System.Linq;
            using Serilog;
            using Serilog.Core;
            using Serilog.Events;
            using Serilog.Sinks.LogTrace;

            var logger = new LoggerConfiguration().WriteTo.Sink(new Print()).CreateLogger();
            logger.UserSignedIn("u-42", "jane_doe", "password");
            logger.ForContext("Eventname", "typo").Information("Not a record");
            foreach (var record in app.LogTraceRecordCatalog.Records)
                System.Console.WriteLine("catalogue: " + record);

            sealed class Print : ILogEventSink
            {
                public void Emit(LogEvent e) => System.Console.WriteLine(string.Join(";", e.Properties.Select(p => p.Key + "=" + p.Value)));
            }

            static partial class AuditTrail
            {
                [LogTraceEvent("user.login", Message = "User {UserName} signed in with {Method}")]
                public static partial void UserSignedIn(this Serilog.ILogger logger, string userId, string userName, string method);

                [LogTraceSession(LogTraceSessionStatus.Successful)]
                public static partial void SessionStarted(this Microsoft.Extensions.Logging.ILogger logger, string token, string userId);
            }
            """);

        var build = Run(app, "build", "-c", "Release");
        Assert.Contains("LOGTRACE003", build, StringComparison.Ordinal);
        // The opt-in JSON catalogue, beside the build output.
        using (var catalogue = System.Text.Json.JsonDocument.Parse(System.IO.File.ReadAllText(Path.Combine(app, "bin", "Release", "net10.0", "app.logtrace-records.json"))))
        {
            var records = catalogue.RootElement.EnumerateArray().ToArray();
            Assert.Equal(new[] { "user.login", "successful" }, records.Select(r => r.GetProperty("name").GetString()));
            Assert.Equal("AuditTrail.UserSignedIn", records[0].GetProperty("method").GetString());
        }
        var output = Run(app, "run", "-c", "Release", "--no-build");
        Assert.Contains("UserName=\"jane_doe\";Method=\"password\";UserId=\"u-42\";EventName=\"user.login\"", output, StringComparison.Ordinal);
        Assert.Contains("catalogue: Event user.login (Information) AuditTrail.UserSignedIn(string userId, string userName, string method)", output, StringComparison.Ordinal);
        Assert.Contains("catalogue: Session successful", output, StringComparison.Ordinal);
    }

    static string Run(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        if (arguments[0] != "run")
        {
            // No build servers left behind, and nothing of this test run's own MSBuild in the child's.
            start.ArgumentList.Add("-nodeReuse:false");
            start.ArgumentList.Add("-p:UseSharedCompilation=false");
        }
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(name);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"dotnet {string.Join(' ', arguments)} failed:\n{stdout}\n{stderr.Result}");
        return stdout;
    }

    static FileStream AcquireLock()
    {
        for (var i = 0; ; i++)
        {
            try
            {
                return new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (i < 600)
            {
                Thread.Sleep(500);
            }
        }
    }

    static string GlobalPackages() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    static string RepositoryRoot() =>
        Path.GetFullPath(Path.Combine(typeof(PackageTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "TestProjectDirectory").Value!, "..", ".."));
}
