using System.Text.Json;
using Serilog;
using Serilog.Debugging;
using Serilog.Sinks.LogTrace;
using Serilog.Sinks.LogTrace.Testing;

// A NativeAOT (or trimmed) build of an application that logs LogTrace records. Serilog turns structure capture off
// in such builds ({@Before} of a class becomes its type name), so the snapshot's type is registered with a capture
// that needs no reflection: docs/aot-and-trimming.md.
// What the sink says about itself is kept, and printed only if a record is missing: a CI run that fails here once
// must say why (a record left in the buffer at shutdown, a refusal, a store that would not open).
var selfLog = new List<string>();
SelfLog.Enable(line => { lock (selfLog) selfLog.Add(line); });
await using var server = await LogTraceTestServer.StartAsync();
var bufferPath = Path.Combine(Path.GetTempPath(), "logtrace-aot-smoke-" + Guid.NewGuid().ToString("N"));
try
{
    using (var logger = new LoggerConfiguration()
        .Destructure.ByTransforming<Invoice>(i => new Dictionary<string, object?> { ["Total"] = i.Total, ["Status"] = i.Status })
        .WriteTo.LogTrace(o =>
        {
            o.ApiKey = "lg_aot_smoke_0123456789";
            o.Endpoint = server.Endpoint;
            o.BufferPath = bufferPath;
            // A loaded CI machine may take more than the default 10 s to start the store and send two records;
            // what is not sent by then stays in the buffer and never reaches this server.
            o.ShutdownTimeout = TimeSpan.FromSeconds(60);
        })
        .CreateLogger())
    {
        logger.ForContext(LogTraceProperties.EventName, "aot.smoke").ForContext(LogTraceProperties.UserName, "jane")
            .Information("Smoke test {Step}", 1);
        logger.ForContext(LogTraceProperties.AuditLogName, "invoice.deleted").ForContext(LogTraceProperties.UserId, "u-42")
            .Information("Invoice {InvoiceId} deleted; it was {@Before}", "INV-1", new Invoice(120.5m, "open"));
    }

    var failures = new List<string>();
    IReadOnlyList<LogTraceRecord> records;
    try
    {
        records = await server.WaitForRecordsAsync(2, TimeSpan.FromSeconds(30));
    }
    catch (TimeoutException ex)
    {
        failures.Add(ex.Message);
        records = server.Records;
    }
    var evt = records.FirstOrDefault(r => r.Kind == LogTraceRecordKind.Event);
    if (evt?.Name != "aot.smoke")
        failures.Add("the event did not arrive");
    var audit = records.FirstOrDefault(r => r.Kind == LogTraceRecordKind.AuditLog);
    if (audit?.Name != "invoice.deleted")
        failures.Add("the audit log did not arrive");
    else if (!audit.Body.TryGetProperty("metadata", out var metadata) || !metadata.TryGetProperty("Before", out var before) ||
        before.ValueKind != JsonValueKind.Object ||
        !before.TryGetProperty("Total", out var total) || total.ValueKind != JsonValueKind.Number || total.GetDecimal() != 120.5m ||
        !before.TryGetProperty("Status", out var status) || status.GetString() != "open")
        failures.Add("the audit log's Before is not the snapshot's fields: " + audit.Body.GetRawText());

    foreach (var failure in failures)
        Console.Error.WriteLine("AOT smoke: " + failure);
    if (failures.Count > 0)
    {
        lock (selfLog)
        {
            Console.Error.WriteLine($"AOT smoke: the sink's SelfLog ({selfLog.Count} lines):");
            foreach (var line in selfLog)
                Console.Error.WriteLine("  " + line.TrimEnd());
        }
        var left = Directory.Exists(bufferPath) ? Directory.GetFiles(bufferPath, "*", SearchOption.AllDirectories) : Array.Empty<string>();
        Console.Error.WriteLine($"AOT smoke: {left.Length} file(s) left in the buffer folder: " +
            string.Join(", ", left.Select(f => $"{Path.GetFileName(f)} ({new FileInfo(f).Length} B)")));
    }
    if (failures.Count == 0)
        Console.WriteLine("AOT smoke: the event and the audit log arrived, Before = " + audit!.Body.GetProperty("metadata").GetProperty("Before").GetRawText());
    return failures.Count == 0 ? 0 : 1;
}
finally
{
    try { Directory.Delete(bufferPath, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
}

sealed record Invoice(decimal Total, string Status);
