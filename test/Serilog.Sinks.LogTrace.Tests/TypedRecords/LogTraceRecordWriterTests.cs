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
}
