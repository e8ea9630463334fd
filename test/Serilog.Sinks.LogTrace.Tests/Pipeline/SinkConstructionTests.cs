using System.Diagnostics.Metrics;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Configuration;
using Serilog.Sinks.LogTrace.Pipeline;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Pipeline;

// A sink whose outbox cannot be built: the configuration fails with the outbox's own exception, and what the sink made
// for it (its meter, its shutdown timer) is released, not left published for the life of the process.
public class SinkConstructionTests
{
    [Fact]
    public void AnOutboxThatCannotBeBuiltFailsTheSinkAndReleasesItsMeter()
    {
        var thread = Environment.CurrentManagedThreadId;
        // Start() also reports every instrument already published (other tests' live sinks): only those made while the
        // sink is built count.
        var building = false;
        var published = new List<Instrument>();
        var completed = new List<Instrument>();
        using var listener = new MeterListener
        {
            // Only the instruments made on this thread, by this sink: other tests make sinks of their own meanwhile.
            InstrumentPublished = (instrument, l) =>
            {
                if (building && instrument.Meter.Name == LogTraceSinkCounters.MeterName && Environment.CurrentManagedThreadId == thread)
                {
                    lock (published)
                        published.Add(instrument);
                    l.EnableMeasurementEvents(instrument);
                }
            },
            MeasurementsCompleted = (instrument, _) =>
            {
                lock (completed)
                    completed.Add(instrument);
            },
        };
        listener.Start();
        var settings = LogTraceSinkSettings.Create(new LogTraceSinkOptions { ApiKey = Some.ApiKey }, _ => null);
        var failure = new InvalidOperationException("the outbox cannot be built");

        building = true;
        var thrown = Assert.Throws<InvalidOperationException>(() => new LogTraceSink(settings, s => s, _ => throw failure));
        building = false;

        Assert.Same(failure, thrown);
        Assert.NotEmpty(published);
        lock (completed)
            Assert.All(published, instrument => Assert.Contains(instrument, completed));
    }
}
