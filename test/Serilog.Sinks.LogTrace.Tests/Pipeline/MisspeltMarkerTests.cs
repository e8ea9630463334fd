using System.Diagnostics.Metrics;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Records;
using Serilog.Sinks.LogTrace.Tests.Support;
using static Serilog.Sinks.LogTrace.Tests.Support.Some;

namespace Serilog.Sinks.LogTrace.Tests.Pipeline;

// A property spelt almost like a marker loses the record the application meant at its source: it is said once per
// name, counted by name, and never costs an ordinary log line an allocation.
[Collection(SelfLogCollection.Name)]
public class MisspeltMarkerTests
{
    [Theory]
    [InlineData("Eventname", LogTraceProperties.EventName)]
    [InlineData("eventName", LogTraceProperties.EventName)]
    [InlineData("event_name", LogTraceProperties.EventName)]
    [InlineData("EVENT-NAME", LogTraceProperties.EventName)]
    [InlineData("Event.Name", LogTraceProperties.EventName)]
    [InlineData("_EventName_", LogTraceProperties.EventName)]
    [InlineData("auditlogname", LogTraceProperties.AuditLogName)]
    [InlineData("Audit_Log_Name", LogTraceProperties.AuditLogName)]
    [InlineData("sessionstatus", LogTraceProperties.SessionStatus)]
    [InlineData("session.status", LogTraceProperties.SessionStatus)]
    [InlineData("sessionToken", LogTraceProperties.SessionToken)]
    [InlineData("Session_Token", LogTraceProperties.SessionToken)]
    [InlineData("eventname_", LogTraceProperties.EventName)]
    [InlineData(".AuditLogName", LogTraceProperties.AuditLogName)]
    [InlineData("SESSIONSTATUS-", LogTraceProperties.SessionStatus)]
    [InlineData("-session-token", LogTraceProperties.SessionToken)]
    // The longest name considered: 24 characters.
    [InlineData("s_e_s_s_i_o_n_s_t_a_t_us", LogTraceProperties.SessionStatus)]
    public void ANameThatDiffersOnlyInCaseOrSeparatorsIsAMisspeltMarker(string name, string marker) =>
        Assert.Equal(marker, RecordKinds.MisspeltMarker(name));

    [Theory]
    [InlineData(LogTraceProperties.EventName)]
    [InlineData(LogTraceProperties.AuditLogName)]
    [InlineData(LogTraceProperties.SessionStatus)]
    [InlineData(LogTraceProperties.SessionToken)]
    [InlineData("EventNames")]
    [InlineData("EvntName")]
    [InlineData("EventNam")]
    [InlineData("Event Name")]
    [InlineData("SourceContext")]
    [InlineData("SessionId")]
    [InlineData("AuditLogNameX")]
    [InlineData("Application")]
    [InlineData("ÉventName")]
    [InlineData("E_v_e_n_t_N_a_m_e_______________")]
    [InlineData("s_e_s_s_i_o_n_s_t_a_t_u_s")]
    public void AnyOtherNameIsNot(string name) => Assert.Null(RecordKinds.MisspeltMarker(name));

    [Fact]
    public async Task AMisspeltMarkerIsSaidOncePerNameAndCountedEachTime()
    {
        using var selfLog = new SelfLogCollector();
        await using var harness = new SinkHarness();
        using var counted = new MisspeltCounter(harness);

        harness.Sink.Emit(LogEvent("User signed in", properties: new[] { Prop("Eventname", "user.login"), Prop("UserId", "u-1") }));
        harness.Sink.Emit(LogEvent("User signed in", properties: new[] { Prop("Eventname", "user.login") }));
        harness.Sink.Emit(LogEvent("User signed out", properties: new[] { Prop("event_name", "user.logout") }));

        Assert.Equal(0, harness.Counters.Queued);
        Assert.Equal(3, harness.Sink.Misspelt.Seen);
        Assert.Equal(new[] { "Eventname", "event_name" }, harness.Sink.Misspelt.Names.OrderBy(n => n, StringComparer.Ordinal));
        var lines = selfLog.Lines.Where(l => l.Contains("looks like the marker")).ToArray();
        Assert.Equal(2, lines.Length);
        Assert.Contains("'Eventname', which looks like the marker EventName", lines[0]);
        Assert.Contains("rename it to EventName", lines[0]);
        Assert.EndsWith("Said once per name; counted in logtrace.markers.misspelt.", lines[0]);
        Assert.Contains("'event_name'", lines[1]);
        Assert.Equal(new[] { "Eventname", "Eventname", "event_name" }, counted.Tags);
    }

    [Fact]
    public async Task ALogEventWithManyPropertiesIsCheckedToo()
    {
        await using var harness = new SinkHarness();
        var properties = Enumerable.Range(0, 9).Select(i => Prop("Property" + i, i)).Append(Prop("auditLogName", "invoice.deleted")).ToArray();

        harness.Sink.Emit(LogEvent("Invoice deleted", properties: properties));

        Assert.Equal(1, harness.Sink.Misspelt.Seen);
        Assert.Equal("auditLogName", Assert.Single(harness.Sink.Misspelt.Names));
    }

    [Fact]
    public async Task ARecordOrALineWithABlankMarkerIsNotMisspelt()
    {
        await using var harness = new SinkHarness();

        harness.Sink.Emit(LogEvent(properties: new[] { Prop(LogTraceProperties.EventName, " ") }));
        harness.Sink.Emit(LogEvent(properties: new[] { Prop(LogTraceProperties.SessionToken, "token-1") }));
        harness.Sink.Emit(Event("user.login"));
        await harness.SettledAsync(1);

        Assert.Equal(0, harness.Sink.Misspelt.Seen);
    }

    [Fact]
    public async Task NamesBuiltFromDataCannotGrowTheSetWithoutEnd()
    {
        using var selfLog = new SelfLogCollector();
        await using var harness = new SinkHarness();
        using var counted = new MisspeltCounter(harness);
        // 2^9 spellings of "eventname" by case alone.
        for (var i = 0; i < MisspeltMarkers.MaxNames + 20; i++)
        {
            var name = new string("eventname".Select((c, bit) => (i >> bit & 1) == 1 ? char.ToUpperInvariant(c) : c).ToArray());
            if (name == LogTraceProperties.EventName)
                name = "event_name";
            harness.Sink.Emit(LogEvent(properties: new[] { Prop(name, "x") }));
        }

        Assert.Equal(MisspeltMarkers.MaxNames + 20, harness.Sink.Misspelt.Seen);
        Assert.Equal(MisspeltMarkers.MaxNames, harness.Sink.Misspelt.Names.Count);
        Assert.Equal(MisspeltMarkers.MaxNames, selfLog.Lines.Count(l => l.Contains("looks like the marker")));
        Assert.Equal(20, counted.Tags.Count(t => t == MisspeltMarkers.Other));
    }

    [Fact]
    public async Task AnOrdinaryLineWhoseNamesLookLikeCandidatesAllocatesNothing()
    {
        await using var harness = new SinkHarness();
        var plain = LogEvent("Plain line", properties: new[] { Prop("SourceContext", "Invoices.Api"), Prop("Application", "billing"), Prop("SessionId", 3) });
        harness.Sink.Emit(plain);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
            harness.Sink.Emit(plain);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(0, harness.Sink.Misspelt.Seen);
    }

    [Fact]
    public void TheCounterIsPublishedWithItsUnitAndDescription()
    {
        using var meter = new Meter("Serilog.Sinks.LogTrace.Tests.Misspelt." + Guid.NewGuid().ToString("N"));
        var published = new List<Instrument>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter == meter)
                    published.Add(instrument);
            },
        };
        listener.Start();

        _ = new MisspeltMarkers(meter);

        var counter = Assert.Single(published);
        Assert.Equal("logtrace.markers.misspelt", counter.Name);
        Assert.Equal("{event}", counter.Unit);
        Assert.Equal("Log events not sent because a property that looks like a LogTrace marker (EventName, AuditLogName, SessionStatus, " +
            "SessionToken) is spelt otherwise, by property name.", counter.Description);
    }

    sealed class MisspeltCounter : IDisposable
    {
        readonly MeterListener _listener = new();
        readonly List<string?> _tags = new();

        public MisspeltCounter(SinkHarness harness)
        {
            _listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter == harness.Counters.Meter && instrument.Name == "logtrace.markers.misspelt")
                    l.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "property")
                    {
                        lock (_tags)
                            _tags.Add((string?)tag.Value);
                    }
                }
            });
            _listener.Start();
        }

        public IReadOnlyList<string?> Tags
        {
            get
            {
                lock (_tags)
                    return _tags.ToArray();
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
