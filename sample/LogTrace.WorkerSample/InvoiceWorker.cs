using Serilog.Sinks.LogTrace;

namespace LogTrace.WorkerSample;

public sealed class InvoiceWorker(ILogger<InvoiceWorker> logger, IHostApplicationLifetime lifetime) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The user, attached once: every record logged in this scope carries it.
        using (logger.BeginScope(new Dictionary<string, object> { ["UserId"] = "u-1001", ["UserName"] = "jane_doe" }))
        {
            logger.InvoiceCreated("INV-2026-0042", 129.90m);
            logger.RecordEvent("invoice.sent", "Invoice {InvoiceId} sent to {Email}", "INV-2026-0042", "jane@example.com");
        }

        // Or named on the record itself.
        logger.InvoiceDeleted("u-1001", "INV-2026-0041", new Invoice("INV-2026-0041", 59.00m, "draft"));

        logger.LogInformation("Worker done: ordinary lines like this one are not sent to LogTrace");
        lifetime.StopApplication();
        return Task.CompletedTask;
    }
}
