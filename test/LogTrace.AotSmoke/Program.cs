using System.Text.Json;
using Serilog;
using Serilog.Sinks.LogTrace;
using Serilog.Sinks.LogTrace.Testing;

// A NativeAOT (or trimmed) build of an application that logs LogTrace records. Serilog turns structure capture off
// in such builds ({@Before} of a class becomes its type name), so the snapshot's type is registered with a capture
// that needs no reflection: docs/aot-and-trimming.md.
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
        })
        .CreateLogger())
    {
        logger.ForContext(LogTraceProperties.EventName, "aot.smoke").ForContext(LogTraceProperties.UserName, "jane")
            .Information("Smoke test {Step}", 1);
        logger.ForContext(LogTraceProperties.AuditLogName, "invoice.deleted").ForContext(LogTraceProperties.UserId, "u-42")
            .Information("Invoice {InvoiceId} deleted; it was {@Before}", "INV-1", new Invoice(120.5m, "open"));
    }

    var records = await server.WaitForRecordsAsync(2, TimeSpan.FromSeconds(30));
    var failures = new List<string>();
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
    if (failures.Count == 0)
        Console.WriteLine("AOT smoke: the event and the audit log arrived, Before = " + audit!.Body.GetProperty("metadata").GetProperty("Before").GetRawText());
    return failures.Count == 0 ? 0 : 1;
}
finally
{
    try { Directory.Delete(bufferPath, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
}

sealed record Invoice(decimal Total, string Status);
