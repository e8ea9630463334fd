using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace Serilog.Sinks.LogTrace.Tests.Support;

// The LogTrace.BufferChild program as a process of its own, built for this test run's target framework: it logs
// numbered events through a durable buffer, and the test kills it (SIGKILL) or lets it close.
sealed class BufferChild : IDisposable
{
    static readonly string Program = typeof(BufferChild).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "BufferChild").Value!;

    readonly Process _process;
    readonly TaskCompletionSource<bool> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    BufferChild(Process process) => _process = process;

    // Each event's number and when its "logged" line was read: the event was logged no later than that.
    public ConcurrentQueue<(int Number, DateTime ReadAt)> Logged { get; } = new();

    public ConcurrentQueue<string> Errors { get; } = new();

    public string ErrorText => string.Join(Environment.NewLine, Errors);

    public static BufferChild Start(string buffer, string endpoint, int from, int count, int perSecond = 200, int shutdownMs = 2000, bool waitStdin = false)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (Program.EndsWith(".dll", StringComparison.Ordinal))
        {
            // Framework-dependent: run it on the runtime running the tests.
            var host = Environment.ProcessPath;
            start.FileName = host != null && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";
            start.ArgumentList.Add(Program);
        }
        else
        {
            start.FileName = Program;
        }
        foreach (var argument in new[]
                 {
                     "--buffer", buffer, "--endpoint", endpoint, "--from", from.ToString(CultureInfo.InvariantCulture),
                     "--count", count.ToString(CultureInfo.InvariantCulture), "--per-second", perSecond.ToString(CultureInfo.InvariantCulture),
                     "--shutdown-ms", shutdownMs.ToString(CultureInfo.InvariantCulture), "--wait-stdin", waitStdin ? "true" : "false",
                 })
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["LOGTRACE_API_KEY"] = Some.ApiKey;

        var child = new BufferChild(new Process { StartInfo = start });
        child._process.OutputDataReceived += (_, e) => child.OnOutput(e.Data);
        child._process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data != null)
                child.Errors.Enqueue(e.Data);
        };
        child._process.Start();
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        return child;
    }

    void OnOutput(string? line)
    {
        if (line == null)
            return;
        if (line == "ready")
            _ready.TrySetResult(true);
        else if (line.StartsWith("logged ", StringComparison.Ordinal))
            Logged.Enqueue((int.Parse(line.Substring(7), CultureInfo.InvariantCulture), DateTime.UtcNow));
    }

    public async Task ReadyAsync()
    {
        var exited = _process.WaitForExitAsync();
        var timeout = Task.Delay(TimeSpan.FromSeconds(60));
        var first = await Task.WhenAny(_ready.Task, exited, timeout);
        if (first != _ready.Task)
            Assert.Fail("The buffer child did not start (" + (first == exited ? "it exited" : "timed out") + "): " + ErrorText);
    }

    // SIGKILL on Unix: no finally block, no flush, no shutdown of any kind.
    public async Task KillAsync()
    {
        _process.Kill();
        await ExitedAsync();
    }

    // Closes its standard input: with --wait-stdin it then closes its logger and exits.
    public async Task CloseAsync()
    {
        _process.StandardInput.Close();
        await ExitedAsync();
        Assert.True(_process.ExitCode == 0, "the buffer child exited with " + _process.ExitCode + ": " + ErrorText);
    }

    async Task ExitedAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(deadline.Token);
        // The last lines arrive after the exit.
        _process.WaitForExit();
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
                _process.Kill();
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }
}
