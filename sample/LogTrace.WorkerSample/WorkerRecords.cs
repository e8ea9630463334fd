using Serilog.Sinks.LogTrace;

namespace LogTrace.WorkerSample;

public sealed record Invoice(string Id, decimal Total, string Status);

// Each record declared once: the compiler checks the names, the fields and the placeholders.
public static partial class WorkerRecords
{
    [LogTraceEvent("invoice.created", Message = "Invoice {InvoiceId} created for {Total}")]
    public static partial void InvoiceCreated(this ILogger logger, string invoiceId, decimal total);

    [LogTraceAuditLog("invoice.deleted", Message = "Invoice {InvoiceId} deleted")]
    public static partial void InvoiceDeleted(this ILogger logger, string userId, string invoiceId, Invoice before);
}
