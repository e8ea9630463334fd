using Serilog.Events;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.TypedRecords;

// LogTraceRecordWriter adds a property only when it is absent, as a ForContext chain does: the first value of a name
// wins, whatever the capture, and the marker is added only when the record has none. Also built against the
// netstandard2.0 sink (NetStandardTests), whose dictionary has no TryAdd.
public class RecordWriterFirstWinsTests
{
    static ILogger Logger(CollectingSink sink) => new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(sink).CreateLogger();

    [Theory]
    [InlineData('\0')]
    [InlineData('@')]
    [InlineData('$')]
    public void ANameAlreadyThereKeepsItsValueWhateverTheCapture(char capture)
    {
        var logger = Logger(new CollectingSink());
        var properties = new Dictionary<string, LogEventPropertyValue> { ["UserId"] = new ScalarValue("first") };

        LogTraceRecordWriter.Add(logger, properties, "UserId", "second", capture);

        Assert.Equal("first", Assert.IsType<ScalarValue>(Assert.Single(properties).Value).Value);
    }

    [Fact]
    public void AValueTheLoggerBindsDoesNotReplaceOneAlreadyThere()
    {
        var logger = Logger(new CollectingSink());
        var properties = new Dictionary<string, LogEventPropertyValue>();

        LogTraceRecordWriter.Add(logger, properties, "Amount", 129.95m, '\0');
        LogTraceRecordWriter.Add(logger, properties, "Amount", 1m, '\0');
        LogTraceRecordWriter.Add(logger, properties, "Code", "A", '\0');
        LogTraceRecordWriter.Add(logger, properties, "Code", "B", '\0');

        Assert.Equal(129.95m, ((ScalarValue)properties["Amount"]).Value);
        Assert.Equal("A", ((ScalarValue)properties["Code"]).Value);
        Assert.Equal(new[] { "Amount", "Code" }, properties.Keys);
    }

    [Fact]
    public void TheMarkerIsAddedOnlyWhenTheRecordHasNone()
    {
        var sink = new CollectingSink();
        var logger = Logger(sink);
        var writer = new LogTraceRecordWriter("Signed in", LogTraceProperties.EventName, "user.login", 2);

        var own = writer.Begin();
        own[LogTraceProperties.EventName] = new ScalarValue("user.sso_login");
        writer.Write(logger, LogEventLevel.Information, null, own);
        writer.Write(logger, LogEventLevel.Information, null, writer.Begin());

        Assert.Equal(2, sink.Events.Count);
        Assert.Equal("user.sso_login", ((ScalarValue)sink.Events[0].Properties[LogTraceProperties.EventName]).Value);
        Assert.Equal("user.login", ((ScalarValue)sink.Events[1].Properties[LogTraceProperties.EventName]).Value);
    }
}
