using System.Diagnostics.Metrics;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Accounting;

// A sign-out that also carries EventName or AuditLogName: each such marker is counted under its property name, said
// once per sink, and the sign-outs that carried any are counted once each.
[Collection(SelfLogCollection.Name)]
public class IgnoredMarkersTests
{
    static LogEvent SignOut(params string[] others) =>
        Some.LogEvent("Signed out", properties: new[] { Some.Prop("SessionStatus", "logout"), Some.Prop("SessionToken", "sess_marker_0123456789") }
            .Concat(others.Select(o => Some.Prop(o, "other.marker"))).ToArray());

    sealed class Measurements : IDisposable
    {
        readonly MeterListener _listener = new();

        public Measurements(Meter meter)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter, meter))
                {
                    Instruments.Add(instrument);
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                var tagList = tags.ToArray();
                lock (Values)
                    Values.Add((value, string.Join(",", tagList.Select(t => t.Key + "=" + t.Value))));
            });
            _listener.Start();
        }

        public List<Instrument> Instruments { get; } = new();

        public List<(long Value, string Tags)> Values { get; } = new();

        public void Dispose() => _listener.Dispose();
    }

    [Fact]
    public void EachOtherMarkerIsCountedByItsPropertyAndSaidOncePerSink()
    {
        using var meter = new Meter("logtrace.tests." + Guid.NewGuid().ToString("N"));
        using var measurements = new Measurements(meter);
        using var selfLog = new SelfLogCollector();
        var markers = new IgnoredMarkers(meter);

        markers.SignedOut(SignOut(LogTraceProperties.AuditLogName));
        markers.SignedOut(SignOut(LogTraceProperties.AuditLogName, LogTraceProperties.EventName));
        markers.SignedOut(SignOut());
        markers.SignedOut(SignOut(LogTraceProperties.EventName));

        var counter = Assert.Single(measurements.Instruments);
        Assert.Equal("logtrace.markers.ignored", counter.Name);
        Assert.Equal("{event}", counter.Unit);
        Assert.Equal("Sign-outs that also carried EventName or AuditLogName: only the sign-out was sent, by the other marker's property name.",
            counter.Description);
        Assert.Equal(new[]
        {
            (1L, "property=AuditLogName"),
            (1L, "property=EventName"),
            (1L, "property=AuditLogName"),
            (1L, "property=EventName"),
        }, measurements.Values);
        // The sign-outs, not the markers: the second carried two.
        Assert.Equal(3, markers.Seen);

        Assert.Equal(2, selfLog.Lines.Count);
        Assert.EndsWith("LogTrace: a sign-out (SessionStatus logout) also carries AuditLogName; a sign-out is sent as its token alone, so that record " +
            "was not sent. Log it in a call of its own. Said once; counted in logtrace.markers.ignored.", selfLog.Lines[0]);
        Assert.EndsWith("also carries EventName; a sign-out is sent as its token alone, so that record was not sent. Log it in a call of its own. " +
            "Said once; counted in logtrace.markers.ignored.", selfLog.Lines[1]);
    }

    [Fact]
    public void ASignOutAloneIsNeitherCountedNorSaid()
    {
        using var meter = new Meter("logtrace.tests." + Guid.NewGuid().ToString("N"));
        using var measurements = new Measurements(meter);
        using var selfLog = new SelfLogCollector();
        var markers = new IgnoredMarkers(meter);

        markers.SignedOut(SignOut());

        Assert.Equal(0, markers.Seen);
        Assert.Empty(measurements.Values);
        Assert.Empty(selfLog.Lines);
    }
}
