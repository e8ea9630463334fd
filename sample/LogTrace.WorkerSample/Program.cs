using LogTrace.Samples;
using LogTrace.WorkerSample;
using Serilog;
using Serilog.Sinks.LogTrace;
using Serilog.Sinks.LogTrace.Testing;

// dotnet run --project sample/LogTrace.WorkerSample
// A Generic Host worker that records through ILogger<T>. Without LOGTRACE_API_KEY it sends to a local
// LogTrace-compatible server (Serilog.Sinks.LogTrace.Testing), prints what arrived and exits 0 only if the two events
// and the audit log arrived with their user. With LOGTRACE_API_KEY (and optionally LOGTRACE_ENDPOINT) it sends to LogTrace.
Serilog.Debugging.SelfLog.Enable(Console.Error);
await using var local = string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("LOGTRACE_API_KEY"))
    ? await LogTraceTestServer.StartAsync()
    : null;
if (local != null)
{
    Environment.SetEnvironmentVariable("LOGTRACE_API_KEY", "lg_local_sample_key");
    Environment.SetEnvironmentVariable("LOGTRACE_ENDPOINT", local.Endpoint);
}
Console.WriteLine($"Sending to {Environment.GetEnvironmentVariable("LOGTRACE_ENDPOINT") ?? "https://api.logtracehq.com/v1/developers"}");

var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddSerilog(lc => lc
    .WriteTo.Console()
    .WriteTo.LogTrace());       // the key and endpoint from LOGTRACE_API_KEY and LOGTRACE_ENDPOINT
builder.Services.AddHostedService<InvoiceWorker>();

using var host = builder.Build();
await host.StartAsync();
await host.WaitForShutdownAsync();
Console.WriteLine(await DeliveryReport.WhenSentAsync(TimeSpan.FromSeconds(30)));
host.Dispose();                 // disposes the logger: anything left is sent within shutdownTimeout

return local == null ? 0 : SampleReport.Check(local, ["invoice.created", "invoice.sent", "invoice.deleted"]);
