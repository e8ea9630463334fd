using System.Diagnostics;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.TypedRecords;

// The runtime half of a typed record through Serilog.ILogger (LogTraceRecordWriter): values captured as the logger
// would capture them, and the log event stamped as Serilog's own Write stamps it.
public class LogTraceRecordWriterTests
{
    static (ILogger Logger, CollectingSink Sink) Logger(Func<LoggerConfiguration, LoggerConfiguration>? configure = null)
    {
        var sink = new CollectingSink();
        var configuration = new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(sink);
        return ((configure?.Invoke(configuration) ?? configuration).CreateLogger(), sink);
    }

    [Fact]
    public void ARecordWrittenInsideAnActivityCarriesItsIds()
    {
        var (logger, sink) = Logger();
        using var source = new ActivitySource("LogTraceRecordWriterTests");
        using var listener = new ActivityListener { ShouldListenTo = s => s == source, Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData };
        ActivitySource.AddActivityListener(listener);
        using var activity = source.StartActivity("request")!;

        logger.UserSignedIn("u-7", "jane", "sso");

        var logged = Assert.Single(sink.Events);
        Assert.Equal(activity.TraceId, logged.TraceId);
        Assert.Equal(activity.SpanId, logged.SpanId);
    }

    [Fact]
    public void ARecordWrittenOutsideAnActivityCarriesNoIds()
    {
        Assert.Null(Activity.Current);
        var (logger, sink) = Logger();

        logger.UserSignedIn("u-7", "jane", "sso");

        var logged = Assert.Single(sink.Events);
        Assert.Null(logged.TraceId);
        Assert.Null(logged.SpanId);
    }

    [Fact]
    public void ACapturedStringIsCutAsTheLoggerCutsIt()
    {
        var (logger, _) = Logger(c => c.Destructure.ToMaximumStringLength(5));
        var properties = new Dictionary<string, LogEventPropertyValue>();

        LogTraceRecordWriter.Add(logger, properties, "Plain", "abcdefghij", '\0');
        LogTraceRecordWriter.Add(logger, properties, "Captured", "abcdefghij", '@');
        LogTraceRecordWriter.Add(logger, properties, "Text", 42, '$');

        Assert.Equal("abcdefghij", ((ScalarValue)properties["Plain"]).Value);
        Assert.Equal("abcd…", ((ScalarValue)properties["Captured"]).Value);
        Assert.Equal("42", ((ScalarValue)properties["Text"]).Value);
    }

    [Fact]
    public void APropertyAlreadyThereIsKept()
    {
        var (logger, _) = Logger();
        var properties = new Dictionary<string, LogEventPropertyValue> { ["UserId"] = new ScalarValue("first") };

        LogTraceRecordWriter.Add(logger, properties, "UserId", "second", '\0');

        Assert.Equal("first", ((ScalarValue)properties["UserId"]).Value);
    }

    // A {$Name} placeholder is captured as the logger stringifies one in a hand-written template: cut to its maximum
    // string length, and "" for a ToString() that gives null. (It was the untouched text, and null.)
    [Fact]
    public void AStringifiedValueIsCapturedAsTheLoggersTemplateCapturesIt()
    {
        var (logger, sink) = Logger(c => c.Destructure.ToMaximumStringLength(5));
        logger.Information("{$Long} {$NullText} {$Missing}", "abcdefghij", new NullText(), null);
        var written = Assert.Single(sink.Events).Properties;
        var properties = new Dictionary<string, LogEventPropertyValue>();

        LogTraceRecordWriter.Add(logger, properties, "Long", "abcdefghij", '$');
        LogTraceRecordWriter.Add(logger, properties, "NullText", new NullText(), '$');
        LogTraceRecordWriter.Add<string?>(logger, properties, "Missing", null, '$');

        Assert.Equal("abcd…", ((ScalarValue)properties["Long"]).Value);
        Assert.Equal("", ((ScalarValue)properties["NullText"]).Value);
        Assert.Null(((ScalarValue)properties["Missing"]).Value);
        foreach (var name in new[] { "Long", "NullText", "Missing" })
            Assert.Equal(written[name].ToString(), properties[name].ToString());
    }

    // A logger that binds nothing (Serilog's silent logger binds nothing either) adds no property.
    [Fact]
    public void ALoggerThatBindsNothingAddsNoProperty()
    {
        var logger = new BindingLogger(binds: false);
        var properties = new Dictionary<string, LogEventPropertyValue>();

        LogTraceRecordWriter.Add(logger, properties, "Text", 42, '$');
        LogTraceRecordWriter.Add(logger, properties, "Amount", 4.5m, '\0');
        LogTraceRecordWriter.Add(logger, properties, "Captured", "x", '@');

        Assert.Empty(properties);
    }

    // The values Serilog's own scalar policy captures alike under every configuration skip the logger's binding; every
    // other value, and every '@' capture, goes through it.
    [Fact]
    public void OnlyPlainScalarsSkipTheLoggersBinding()
    {
        var logger = new BindingLogger(binds: true);
        var properties = new Dictionary<string, LogEventPropertyValue>();

        LogTraceRecordWriter.Add<string?>(logger, properties, "Null", null, '\0');
        LogTraceRecordWriter.Add(logger, properties, "String", "s", '\0');
        LogTraceRecordWriter.Add(logger, properties, "Int", 1, '\0');
        LogTraceRecordWriter.Add(logger, properties, "Long", 2L, '\0');
        LogTraceRecordWriter.Add(logger, properties, "Bool", true, '\0');
        LogTraceRecordWriter.Add(logger, properties, "Guid", Guid.Empty, '\0');
        LogTraceRecordWriter.Add(logger, properties, "Decimal", 4.5m, '\0');
        LogTraceRecordWriter.Add(logger, properties, "Captured", "s", '@');

        Assert.Equal(["Captured", "Decimal"], logger.Bound.Order());
        Assert.Equal("s", ((ScalarValue)properties["String"]).Value);
        Assert.Equal(2L, ((ScalarValue)properties["Long"]).Value);
        Assert.Equal(BindingLogger.Marker, ((ScalarValue)properties["Decimal"]).Value);
    }

    // A logger of the caller's own that binds the one-placeholder template without a property: nothing is added, and
    // nothing is thrown into the logging call.
    [Fact]
    public void ALoggerThatBindsATemplateWithoutAPropertyAddsNothing()
    {
        var properties = new Dictionary<string, LogEventPropertyValue>();

        LogTraceRecordWriter.Add(new BindingLogger(binds: true, templateWithoutProperty: true), properties, "Text", 42, '$');

        Assert.Empty(properties);
    }

    // An ILogger that records which properties it was asked to bind, and binds each to Marker.
    sealed class BindingLogger(bool binds, bool templateWithoutProperty = false) : ILogger
    {
        public const string Marker = "bound by the logger";

        public List<string> Bound { get; } = [];

        public void Write(LogEvent logEvent)
        {
        }

        public bool BindProperty(string? propertyName, object? value, bool destructureObjects, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out LogEventProperty? property)
        {
            Bound.Add(propertyName!);
            property = binds ? new LogEventProperty(propertyName!, new ScalarValue(Marker)) : null;
            return binds;
        }

        public bool BindMessageTemplate(string messageTemplate, object?[]? propertyValues,
            [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out MessageTemplate? parsedTemplate,
            [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IEnumerable<LogEventProperty>? boundProperties)
        {
            parsedTemplate = templateWithoutProperty ? MessageTemplate.Empty : null;
            boundProperties = templateWithoutProperty ? [] : null;
            return templateWithoutProperty;
        }
    }
}
