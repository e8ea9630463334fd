using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Serilog.Sinks.LogTrace.Benchmarks.Support;

// A loopback endpoint that reads each body and answers 202 like the service, without rate-limit headers (the rate
// limit off). It runs in a process of its own, so the CPU the benchmark process spends is the client's alone.
static class NullEndpoint
{
    public const string Argument = "--null-endpoint";

    public static async Task<int> ServeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapPost("/v1/developers/events", async (HttpContext context) =>
        {
            var buffer = new byte[16 * 1024];
            while (await context.Request.Body.ReadAsync(buffer).ConfigureAwait(false) > 0) { }
            context.Response.StatusCode = 202;
            await context.Response.WriteAsync("{\"message\":\"Event created\"}").ConfigureAwait(false);
        });
        await app.StartAsync().ConfigureAwait(false);
        Console.WriteLine(app.Urls.First());
        Console.Out.Flush();
        // Until the benchmark process closes our input.
        await Console.In.ReadToEndAsync().ConfigureAwait(false);
        await app.StopAsync().ConfigureAwait(false);
        return 0;
    }

    public const string UrlVariable = "LOGTRACE_BENCH_ENDPOINT";

    // The endpoint's base URL, for the benchmark processes: Program starts it once for the whole run.
    public static string BaseUrl => Environment.GetEnvironmentVariable(UrlVariable)
        ?? throw new InvalidOperationException("Run the benchmarks through Program (dotnet run -c Release --project test/Serilog.Sinks.LogTrace.Benchmarks): it starts the null endpoint.");

    // Starts this program again as the endpoint (from the host process, whose path is this program's own); returns the
    // process and the base URL it listens on.
    public static (Process Process, string BaseUrl) Start()
    {
        var self = Environment.ProcessPath!;
        var info = new ProcessStartInfo(self)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            info.ArgumentList.Add(typeof(NullEndpoint).Assembly.Location);
        info.ArgumentList.Add(Argument);
        info.Environment["DOTNET_gcServer"] = "0";
        var process = Process.Start(info)!;
        var url = process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("the null endpoint did not start");
        return (process, url.TrimEnd('/'));
    }

    public static void Stop(Process process)
    {
        process.StandardInput.Close();
        if (!process.WaitForExit(10_000))
            process.Kill();
        process.Dispose();
    }
}
