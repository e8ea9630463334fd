using BenchmarkDotNet.Attributes;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Benchmarks.Support;
using Serilog.Sinks.LogTrace.Configuration;
using Serilog.Sinks.LogTrace.Records;

namespace Serilog.Sinks.LogTrace.Benchmarks;

// The before-send hook's cost (docs/before-send.md): one typical event formatted to its body, without a hook (what
// every record pays when none is set: the formatter alone), with a hook that returns true and changes nothing, and
// with one that changes a metadata value. Off the application's thread, in the formatting loop or the buffer's writer.
[MemoryDiagnoser]
public class BeforeSendBenchmarks
{
    readonly LogEvent _event = TypicalEvents.WithRequest();
    FormatBuffers _buffers = null!;
    LogTraceEventFormatter _none = null!;
    LogTraceEventFormatter _passThrough = null!;
    LogTraceEventFormatter _changing = null!;

    static LogTraceEventFormatter Formatter(Func<LogTraceOutgoingRecord, bool>? hook) =>
        new(LogTraceSinkSettings.Create(new LogTraceSinkOptions { ApiKey = Bench.ApiKey, BeforeSend = hook }, _ => null));

    [GlobalSetup]
    public void Setup()
    {
        _buffers = new FormatBuffers();
        _none = Formatter(null);
        _passThrough = Formatter(_ => true);
        _changing = Formatter(record =>
        {
            record.Body["metadata"]!["Plan"] = "[hidden]";
            return true;
        });
    }

    [GlobalCleanup]
    public void Cleanup() => _buffers.Dispose();

    int Run(LogTraceEventFormatter formatter)
    {
        formatter.Format(_event, _buffers, out var kind);
        if (formatter.BeforeSend?.Run(kind, _buffers, out _, out _) is not null)
            throw new InvalidOperationException("the hook dropped the record");
        return _buffers.Body.Length;
    }

    [Benchmark(Baseline = true)]
    public int NoHook() => Run(_none);

    [Benchmark]
    public int PassThroughHook() => Run(_passThrough);

    [Benchmark]
    public int ChangingHook() => Run(_changing);
}
