using Serilog.Events;
using Serilog.Parsing;

namespace Serilog.Sinks.LogTrace.Tests.Support;

static class Some
{
    // A key in LogTrace's shape (lg_ + 32 hex digits); long enough for the sink's secret redaction to apply.
    public const string ApiKey = "lg_0123456789abcdef0123456789abcdef";

    // A fixed instant with a non-UTC offset, so snapshots also pin the conversion to UTC.
    public static readonly DateTimeOffset Timestamp = new DateTimeOffset(2026, 11, 26, 12, 30, 0, TimeSpan.FromHours(2)).AddTicks(1234567);

    static readonly MessageTemplateParser Parser = new();

    // The same event (properties, trace and span included) stamped at another time.
    public static LogEvent At(LogEvent e, DateTimeOffset timestamp) =>
        new(timestamp, e.Level, e.Exception, e.MessageTemplate, e.Properties.Select(p => new LogEventProperty(p.Key, p.Value)),
            e.TraceId ?? default, e.SpanId ?? default);

    public static LogEvent LogEvent(string template = "Something happened", LogEventLevel level = LogEventLevel.Information,
        Exception? exception = null, params (string Name, LogEventPropertyValue Value)[] properties) =>
        new(Timestamp, level, exception, Parser.Parse(template), properties.Select(p => new LogEventProperty(p.Name, p.Value)));

    public static LogEvent Event(string name, string? userName = "jane_doe", string template = "Something happened",
        params (string Name, LogEventPropertyValue Value)[] properties)
    {
        var all = new List<(string, LogEventPropertyValue)> { (LogTraceProperties.EventName, new ScalarValue(name)) };
        if (userName != null)
            all.Add((LogTraceProperties.UserName, new ScalarValue(userName)));
        all.AddRange(properties);
        return LogEvent(template, properties: all.ToArray());
    }

    // An audit log as the sink's tests log one: a name and a user.
    public static LogEvent AuditLog(string name = "invoice.deleted") => LogEvent("Invoice deleted", properties: new[]
    {
        Prop(LogTraceProperties.AuditLogName, name), Prop(LogTraceProperties.UserName, "jane_doe"),
    });

    public static (string, LogEventPropertyValue) Prop(string name, object? value) => (name, new ScalarValue(value));

    public static (string, LogEventPropertyValue) Prop(string name, LogEventPropertyValue value) => (name, value);
}
