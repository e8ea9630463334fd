using Serilog.Events;
using Property = (string, Serilog.Events.LogEventPropertyValue);
using Serilog.Sinks.LogTrace.Records;
using static Serilog.Sinks.LogTrace.Tests.Support.Some;

namespace Serilog.Sinks.LogTrace.Tests.Formatting;

// RecordKinds.IsMarked, the check every log line passes: one pass over the properties, whatever their number, that
// finds a marker wherever it stands and, on a line that is no record, a name spelt like one.
public class MarkerCheckTests
{
    static Property[] Ordinary(int count) =>
        Enumerable.Range(0, count).Select(i => Prop((i % 3) switch { 0 => "SourceContext", 1 => "RequestId", _ => "Application" } + i, i)).ToArray();

    static Property[] With(Property[] properties, int at, Property inserted)
    {
        var list = properties.ToList();
        list.Insert(at, inserted);
        return list.ToArray();
    }

    [Theory]
    [InlineData(LogTraceProperties.EventName, 0)]
    [InlineData(LogTraceProperties.EventName, 6)]
    [InlineData(LogTraceProperties.EventName, 11)]
    [InlineData(LogTraceProperties.AuditLogName, 0)]
    [InlineData(LogTraceProperties.AuditLogName, 11)]
    [InlineData(LogTraceProperties.SessionStatus, 3)]
    [InlineData(LogTraceProperties.SessionStatus, 11)]
    public void AMarkerIsFoundWhereverItStandsAmongManyProperties(string marker, int at)
    {
        var logEvent = LogEvent(properties: With(Ordinary(11), at, Prop(marker, "x")));

        Assert.True(RecordKinds.IsMarked(logEvent, out var misspelt));
        Assert.Null(misspelt);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(12)]
    public void ABlankMarkerDoesNotHideAnotherOne(int ordinary)
    {
        var properties = Ordinary(ordinary).Prepend(Prop(LogTraceProperties.EventName, " ")).Append(Prop(LogTraceProperties.AuditLogName, "invoice.deleted")).ToArray();

        Assert.True(RecordKinds.IsMarked(LogEvent(properties: properties)));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(12)]
    public void ALineOfBlankMarkersAndOrdinaryNamesIsNoRecordAndNothingMisspelt(int ordinary)
    {
        var properties = Ordinary(ordinary).Append(Prop(LogTraceProperties.EventName, "")).Append(Prop(LogTraceProperties.SessionStatus, (object?)null)).ToArray();

        Assert.False(RecordKinds.IsMarked(LogEvent(properties: properties), out var misspelt));
        Assert.Null(misspelt);
    }

    [Theory]
    [InlineData("eventName", 0)]
    [InlineData("event_name", 12)]
    [InlineData("_sessiontoken", 5)]
    [InlineData("Audit.Log.Name.", 12)]
    public void AMisspeltMarkerIsReportedWhereverItStands(string name, int at)
    {
        var logEvent = LogEvent(properties: With(Ordinary(12), at, Prop(name, "x")));

        Assert.False(RecordKinds.IsMarked(logEvent, out var misspelt));
        Assert.Equal(name, misspelt);
    }

    [Fact]
    public void AMisspeltNameBeforeARealMarkerStillMakesARecord()
    {
        var properties = Ordinary(8).Append(Prop("Event_Name", "x")).Append(Prop(LogTraceProperties.EventName, "user.login")).ToArray();

        Assert.True(RecordKinds.IsMarked(LogEvent(properties: properties), out var misspelt));
        Assert.Null(misspelt);
    }

    // Names of a marker's length whose first or last letter is no marker's: ruled out before any comparison, and not
    // misspelt markers either way.
    [Theory]
    [InlineData("ElapsedMs")]
    [InlineData("SourceContext")]
    [InlineData("AuditLogNamX")]
    [InlineData("XventName")]
    [InlineData("SessionStatuz")]
    [InlineData("EventNamE1")]
    public void NamesThatOnlyShareALengthOrAFirstLetterAreNotMarkers(string name)
    {
        Assert.False(RecordKinds.IsMarked(LogEvent(properties: new[] { Prop(name, "x") }), out var misspelt));
        Assert.Null(misspelt);
    }
}
