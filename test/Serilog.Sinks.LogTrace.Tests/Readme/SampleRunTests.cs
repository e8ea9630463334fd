#if NET10_0_OR_GREATER
using System.Diagnostics;

namespace Serilog.Sinks.LogTrace.Tests.Readme;

// The samples the README quotes run end to end with no LogTrace account, and print what the README says they print.
// They are net10.0 programs: this runs on the net10.0 leg only. Category=Process keeps them out of mutation runs.
[Trait("Category", "Process")]
public sealed class SampleRunTests
{
    [Fact]
    public async Task TheConsoleSampleDeliversTheSevenRecordsTheReadmePromises()
    {
        Assert.Contains("sends it seven records (five\nevents, one audit log, one session)", ReadmeDocument.Text.Replace("\r", ""));

        var (exit, output) = await RunAsync("LogTrace.Sample");

        Assert.True(exit == 0, output);
        Assert.Contains("The local collector received 7 records: 5 events, 1 audit log, 1 session.", output);
        Assert.Contains("All seven records (five events, the audit log and the session) arrived", output);
        Assert.Matches(@"LogTrace at http://127\.0\.0\.1:\d+/v1/developers: 7 records delivered, 0 still queued, none lost", output);
    }

    [Fact]
    public async Task TheWorkerSampleDeliversItsRecordsWithTheirUser()
    {
        var (exit, output) = await RunAsync("LogTrace.WorkerSample");

        Assert.True(exit == 0, output);
        Assert.Contains("All three records arrived with their user.", output);
        Assert.Matches(@"LogTrace at http://127\.0\.0\.1:\d+/v1/developers: 3 records delivered, 0 still queued, none lost", output);
    }

    [Fact]
    public async Task TheWebSampleDemoRecordsEveryRequestWithItsContext()
    {
        var (exit, output) = await RunAsync("LogTrace.WebSample", "--demo");

        Assert.True(exit == 0, output);
        Assert.Contains("All five events, the audit log and the session (its sign-in and sign-out) arrived", output);
        Assert.Matches(@"LogTrace at http://127\.0\.0\.1:\d+/v1/developers: 8 records delivered, 0 still queued, none lost", output);
        Assert.DoesNotContain("shows them", output);   // no collector URL that is gone when the demo ends
    }

    static async Task<(int Exit, string Output)> RunAsync(string sample, string arguments = "")
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Parent!.Name;   // bin/<Configuration>/<tfm>/
        var dll = Path.Combine(ReadmeDocument.Root, "sample", sample, "bin", configuration, "net10.0", sample + ".dll");
        if (!System.IO.File.Exists(dll))
            Assert.Equal(0, (await StartAsync("dotnet", $"build \"{Path.Combine(ReadmeDocument.Root, "sample", sample)}\" -c {configuration}")).Exit);
        return await StartAsync(Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet",
            $"\"{dll}\" {arguments}", Path.GetDirectoryName(dll));
    }

    static async Task<(int Exit, string Output)> StartAsync(string program, string arguments, string? directory = null)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = directory ?? ReadmeDocument.Root,
        };
        start.Environment.Remove("LOGTRACE_API_KEY");
        start.Environment.Remove("LOGTRACE_ENDPOINT");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {arguments} did not end within 3 minutes:\n{await stdout}\n{await stderr}");
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
#endif
