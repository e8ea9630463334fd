using LogTrace.Collector;
using LogTrace.Samples;
using Serilog;
using Serilog.Debugging;
using Serilog.Sinks.LogTrace;

// dotnet run --project sample/LogTrace.Sample
// Without LOGTRACE_API_KEY: starts a local LogTrace-compatible collector, sends to it, prints what it received and
// exits 0 only if exactly the five events, the audit log and the session arrived, each accepted. With LOGTRACE_API_KEY (and optionally LOGTRACE_ENDPOINT): sends
// the same events to LogTrace.
// dotnet run --project sample/LogTrace.Sample -- --durable: the durable buffer (see DurableDemo.cs).
if (args.Contains("--durable"))
    return await DurableDemo.RunAsync();

const string LocalKey = "lg_00000000000000000000000000000000";
string[] expected = { "user.login", "invoice.created", "password.reset", "api_key.revoked", "export.requested" };

SelfLog.Enable(Console.Error);

RunningCollector? collector = null;
if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("LOGTRACE_API_KEY")))
{
    // No account: a local LogTrace-compatible collector, and the two variables the sink reads pointed at it.
    collector = await LogTraceCollector.StartAsync(new CollectorOptions { ApiKeys = { LocalKey } });
    Environment.SetEnvironmentVariable("LOGTRACE_API_KEY", LocalKey);
    Environment.SetEnvironmentVariable("LOGTRACE_ENDPOINT", collector.DevelopersEndpoint);
    Console.WriteLine("LOGTRACE_API_KEY is not set: sending to a local LogTrace-compatible collector.");
}
Console.WriteLine($"Sending to {Environment.GetEnvironmentVariable("LOGTRACE_ENDPOINT") ?? "https://api.logtracehq.com/v1/developers"}");

Log.Logger = new LoggerConfiguration()
    .WriteTo.Console()
    .WriteTo.LogTrace()             // the key from LOGTRACE_API_KEY, or .WriteTo.LogTrace(apiKey: "lg_...")
    .CreateLogger();

Log.Logger.UserSignedIn("12345", "jane_doe", "pro");

Log.Information("Ordinary log lines like this one are not sent to LogTrace");

Log.Debug("Cache warmed in {Milliseconds} ms", 12);

Log.Logger.InvoiceCreated("12345", "billing", 201, "INV-2026-0042", new { Value = 129.90m, Currency = "EUR" });

Log.Logger.PasswordReset("jane_doe", "security", "jane@example.com");

Log.Warning("Slow query took {Milliseconds} ms", 1850);

Log.Logger.ApiKeyRevoked("12345", "security", "key_8f3a", "rotation");

// The string form: no declaration, any logger, a name known only at run time. No user on this one: it goes out with
// the fallback user name ("anonymous").
Log.ForContext("EventName", "export.requested")
   .Information("Export of {Rows} rows as {Format} requested", 1200, "csv");

Log.Logger.InvoiceUpdated("12345", "INV-2026-0042", new { Total = 129.90m, Status = "draft" }, new { Total = 139.90m, Status = "sent" });

Log.Logger.SessionStarted("sess_3f9a1c7e", "12345", "jane_doe");

Console.WriteLine(await DeliveryReport.WhenSentAsync(TimeSpan.FromSeconds(30)));

// The typed records this program declares, as the generator lists them.
Console.WriteLine("Typed records:");
foreach (var record in LogTrace.Sample.LogTraceRecordCatalog.Records)
    Console.WriteLine("  " + record);

await Log.CloseAndFlushAsync();

if (collector == null)
    return 0;

await using (collector)
{
    var events = collector.Store.Events;
    Console.WriteLine();
    var requestCount = collector.Store.Requests.Count;
    Console.WriteLine($"The local collector received {requestCount} records: {events.Count} events, " +
        $"{collector.Store.AuditLogs.Count} audit log, {collector.Store.Sessions.Count} session. The events:");
    Console.WriteLine($"{"name",-18} {"user",-20} {"type",-12} {"status",-6} {"metadata"}");
    foreach (var e in events)
    {
        var body = e.Body!.Value;
        string Text(string name) => body.TryGetProperty(name, out var v) ? v.GetString() ?? "" : "";
        var user = string.Join(" / ", new[] { Text("user_id"), Text("username") }.Where(s => s.Length > 0));
        var status = body.GetProperty("request_details").TryGetProperty("http_status_code", out var s) ? s.GetRawText() : "";
        var metadata = string.Join(", ", body.GetProperty("metadata").EnumerateObject().Where(p => p.Name is not ("message" or "level" or "ClientIp")).Select(p => $"{p.Name}={p.Value}"));
        Console.WriteLine($"{Text("name"),-18} {user,-20} {Text("type"),-12} {status,-6} {metadata}");
    }

    var audit = collector.Store.AuditLogs;
    var sessions = collector.Store.Sessions;
    Console.WriteLine();
    foreach (var a in audit)
        Console.WriteLine($"Audit log {a.Body!.Value.GetProperty("name").GetString()}: {a.Body.Value.GetProperty("description").GetString()}");
    foreach (var s in sessions)
        Console.WriteLine($"Session: status {s.Body!.Value.GetProperty("status").GetString()}, login_at {s.Body.Value.GetProperty("login_at").GetString()}");

    var received = events.Select(e => e.Body!.Value.GetProperty("name").GetString()).OrderBy(n => n).ToArray();
    var requests = collector.Store.Requests;
    if (!received.SequenceEqual(expected.OrderBy(n => n)) || audit.Count != 1 || sessions.Count != 1 ||
        requests.Count != expected.Length + 2 || requests.Any(r => r.Status != 202))
    {
        Console.Error.WriteLine($"Expected exactly the events {string.Join(", ", expected)}, one audit log and one session, each accepted; the collector " +
            $"received {string.Join(", ", requests.Select(r => r.Kind + " " + r.Status))}.");
        return 1;
    }

    Console.WriteLine("All seven records (five events, the audit log and the session) arrived; no ordinary log line was sent.");
    return 0;
}
