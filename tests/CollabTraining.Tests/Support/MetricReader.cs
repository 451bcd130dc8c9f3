using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace CollabTraining.Tests.Support;

/// <summary>Reads the platform's instruments of one host (one meter factory), as an exporter would.</summary>
public sealed class MetricReader : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, double> _values = new();

    public MetricReader(IMeterFactory scope)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, scope) && instrument.Meter.Name == "CollabTraining")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, _, _) => Record(i, v));
        _listener.SetMeasurementEventCallback<double>((i, v, _, _) => Record(i, v));
        _listener.Start();
    }

    public double Read(string name)
    {
        _listener.RecordObservableInstruments();
        return _values.GetValueOrDefault(name);
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value)
    {
        if (instrument.IsObservable)
        {
            _values[instrument.Name] = value;
        }
        else
        {
            _values.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value);
        }
    }
}
