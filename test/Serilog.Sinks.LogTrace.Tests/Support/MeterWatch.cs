using System.Diagnostics.Metrics;

namespace Serilog.Sinks.LogTrace.Tests.Support;

// Follows one meter's instruments (Start reports those already published; other sinks' meters are left alone): which
// are published, which are completed (the meter disposed), and every measurement with its tags as "key=value,...".
sealed class MeterWatch : IDisposable
{
    readonly MeterListener _listener;

    public MeterWatch(Meter meter)
    {
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (!ReferenceEquals(instrument.Meter, meter))
                    return;
                lock (_instruments)
                    _instruments.Add(instrument);
                l.EnableMeasurementEvents(instrument);
            },
            MeasurementsCompleted = (instrument, _) =>
            {
                lock (_completed)
                    _completed.Add(instrument);
            },
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, (long)value, tags));
        _listener.Start();
    }

    readonly List<Instrument> _instruments = new();
    readonly List<Instrument> _completed = new();
    readonly List<(string Instrument, long Value, string Tags)> _measurements = new();

    public IReadOnlyList<Instrument> Instruments
    {
        get { lock (_instruments) return _instruments.ToArray(); }
    }

    public IReadOnlyList<Instrument> Completed
    {
        get { lock (_completed) return _completed.ToArray(); }
    }

    public IReadOnlyList<(string Instrument, long Value, string Tags)> Measurements
    {
        get { lock (_measurements) return _measurements.ToArray(); }
    }

    void Record(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var text = string.Join(",", tags.ToArray().Select(t => t.Key + "=" + t.Value));
        lock (_measurements)
            _measurements.Add((instrument.Name, value, text));
    }

    public void Observe() => _listener.RecordObservableInstruments();

    public void Dispose() => _listener.Dispose();
}
