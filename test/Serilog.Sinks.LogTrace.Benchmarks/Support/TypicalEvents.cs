using Serilog.Events;
using Serilog.Parsing;

namespace Serilog.Sinks.LogTrace.Benchmarks.Support;

// The events the budget is stated for (docs/benchmarks.md), built the same way in every benchmark.
static class TypicalEvents
{
    // A typical event on the application's thread: three message properties, EventName and UserId.
    public const string Template = "Invoice {InvoiceId} created for {Amount} {Currency}";
    public const string NonEventTemplate = "Cache {CacheKey} hit in {ElapsedMs} ms";

    public static ILogger ForEvents(ILogger logger) =>
        logger.ForContext(LogTraceProperties.EventName, "invoice.created").ForContext(LogTraceProperties.UserId, "user-42");

    public static void LogOne(ILogger events, int i) => events.Information(Template, i, 129.95m, "EUR");

    public static void LogNonEvent(ILogger logger, int i) => logger.Information(NonEventTemplate, "invoice:42", i);

    // The serialisation benchmark's event: five metadata properties plus what the ASP.NET Core package adds inside a request.
    public static LogEvent WithRequest()
    {
        var template = new MessageTemplateParser().Parse("Invoice {InvoiceId} created for {Amount} {Currency} by {Customer}");
        var properties = new List<LogEventProperty>
        {
            new(LogTraceProperties.EventName, new ScalarValue("invoice.created")),
            new(LogTraceProperties.UserId, new ScalarValue("user-42")),
            new(LogTraceProperties.UserName, new ScalarValue("ada@example.com")),
            new("InvoiceId", new ScalarValue(12345)),
            new("Amount", new ScalarValue(129.95m)),
            new("Currency", new ScalarValue("EUR")),
            new("Customer", new StructureValue(new[]
            {
                new LogEventProperty("Id", new ScalarValue(7)),
                new LogEventProperty("Name", new ScalarValue("Contoso Ltd")),
            }, "Customer")),
            new("Paid", new ScalarValue(true)),
            new(LogTraceProperties.RequestMethod, new ScalarValue("POST")),
            new(LogTraceProperties.RequestPath, new ScalarValue("/api/invoices")),
            new(LogTraceProperties.StatusCode, new ScalarValue(201)),
            new(LogTraceProperties.Elapsed, new ScalarValue(12.5)),
            new(LogTraceProperties.RequestId, new ScalarValue("0HN7GLL2Q4P3K:00000001")),
            new(LogTraceProperties.ClientIp, new ScalarValue("203.0.113.7")),
            new(LogTraceProperties.UserAgent, new ScalarValue("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36")),
            new(LogTraceProperties.OperatingSystem, new ScalarValue("Windows")),
            new(LogTraceProperties.RequestHeaders, new DictionaryValue(new[]
            {
                new KeyValuePair<ScalarValue, LogEventPropertyValue>(new ScalarValue("Accept"), new ScalarValue("application/json")),
                new KeyValuePair<ScalarValue, LogEventPropertyValue>(new ScalarValue("Content-Type"), new ScalarValue("application/json")),
            })),
        };
        return new LogEvent(new DateTimeOffset(2026, 11, 26, 10, 15, 30, 123, TimeSpan.Zero), LogEventLevel.Information, null, template, properties);
    }

    // An audit log whose {@Before} and {@After} are an entity of eight properties with a nested address and a list of
    // two roles, and no sensitive property name: what the property redaction check costs where it has the most names
    // to look at and nothing to redact (docs/redaction.md).
    public static LogEvent AuditLogWithStates()
    {
        var template = new MessageTemplateParser().Parse("Customer {CustomerId} updated: {@Before} -> {@After}");
        var properties = new List<LogEventProperty>
        {
            new(LogTraceProperties.AuditLogName, new ScalarValue("customer.updated")),
            new(LogTraceProperties.UserId, new ScalarValue("user-42")),
            new("CustomerId", new ScalarValue(7)),
            new("Before", Customer("Contoso Ltd", "billing@contoso.example")),
            new("After", Customer("Contoso Limited", "accounts@contoso.example")),
        };
        return new LogEvent(new DateTimeOffset(2026, 11, 26, 10, 15, 30, 123, TimeSpan.Zero), LogEventLevel.Information, null, template, properties);
    }

    static StructureValue Customer(string name, string email) => new(new[]
    {
        new LogEventProperty("Id", new ScalarValue(7)),
        new LogEventProperty("Name", new ScalarValue(name)),
        new LogEventProperty("Email", new ScalarValue(email)),
        new LogEventProperty("Plan", new ScalarValue("business")),
        new LogEventProperty("Seats", new ScalarValue(25)),
        new LogEventProperty("Active", new ScalarValue(true)),
        new LogEventProperty("Address", new StructureValue(new[]
        {
            new LogEventProperty("Street", new ScalarValue("1 Main St")),
            new LogEventProperty("City", new ScalarValue("Springfield")),
            new LogEventProperty("Country", new ScalarValue("US")),
        }, "Address")),
        new LogEventProperty("Roles", new SequenceValue(new[] { new ScalarValue("owner"), new ScalarValue("billing") })),
    }, "Customer");
}
