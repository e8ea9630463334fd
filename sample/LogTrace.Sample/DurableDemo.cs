using System.Net;
using System.Net.Sockets;
using LogTrace.Collector;
using Serilog;
using Serilog.Debugging;
using Serilog.Sinks.LogTrace;

// dotnet run --project sample/LogTrace.Sample -- --durable
// The durable buffer, end to end, on the local collector: a first "run" logs five events while the collector is down
// and shuts down with them still buffered on disk; a second run, with the collector up, delivers them. Exits 0 only
// if exactly those five arrived, once each.
static class DurableDemo
{
    const string LocalKey = "lg_00000000000000000000000000000000";
    static readonly string[] Names = { "user.login", "invoice.created", "password.reset", "api_key.revoked", "export.requested" };

    public static async Task<int> RunAsync()
    {
        SelfLog.Enable(line => Console.WriteLine("  selflog: " + line));
        var bufferPath = Path.Combine(Path.GetTempPath(), "logtrace-sample-buffer-" + Guid.NewGuid().ToString("N"));
        var port = FreePort();
        var endpoint = $"http://127.0.0.1:{port}/v1/developers";
        try
        {
            Console.WriteLine($"1. The collector at {endpoint} is down. Logging five events with bufferPath {bufferPath} ...");
            LogFiveEvents(Logger(endpoint, bufferPath));
            Console.WriteLine("   Closing the logger: nothing could be delivered, so the events stay on disk.");
            await Log.CloseAndFlushAsync();

            Console.WriteLine("2. Starting the collector, then a new logger on the same bufferPath (a restart) ...");
            await using var collector = await LogTraceCollector.StartAsync(new CollectorOptions { ApiKeys = { LocalKey } }, $"http://127.0.0.1:{port}");
            Log.Logger = Logger(endpoint, bufferPath);
            var until = DateTime.UtcNow.AddSeconds(30);
            while (collector.Store.Events.Count < Names.Length && DateTime.UtcNow < until)
                await Task.Delay(50);
            await Log.CloseAndFlushAsync();

            var received = collector.Store.Events.Select(e => e.Body!.Value.GetProperty("name").GetString()!).ToArray();
            Console.WriteLine($"3. The collector received {received.Length} events after the restart: {string.Join(", ", received)}");
            if (!received.OrderBy(n => n).SequenceEqual(Names.OrderBy(n => n)))
            {
                Console.Error.WriteLine($"Expected exactly {string.Join(", ", Names)}.");
                return 1;
            }
            Console.WriteLine("All five events logged while the service was down arrived after the restart, once each.");
            return 0;
        }
        finally
        {
            Directory.Delete(bufferPath, recursive: true);
        }
    }

    static Serilog.Core.Logger Logger(string endpoint, string bufferPath) => new LoggerConfiguration()
        .WriteTo.LogTrace(LocalKey, endpoint, bufferPath: bufferPath, shutdownTimeout: TimeSpan.FromSeconds(2))
        .CreateLogger();

    static void LogFiveEvents(Serilog.Core.Logger logger)
    {
        Log.Logger = logger;
        foreach (var name in Names)
            Log.ForContext(LogTraceProperties.EventName, name).ForContext(LogTraceProperties.UserId, "12345").Information("{Name} happened", name);
    }

    static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
