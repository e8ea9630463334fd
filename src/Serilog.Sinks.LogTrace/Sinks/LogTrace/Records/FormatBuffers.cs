using System;
using System.Text.Json;

namespace Serilog.Sinks.LogTrace.Records;

// The reusable state one sender needs to format events one after another: the body buffer and a scratch buffer for
// metadata values, each with its writer. Not thread-safe: one per concurrent sender.
sealed class FormatBuffers : IDisposable
{
    public FormatBuffers()
    {
        Output = new PooledBufferWriter();
        Scratch = new PooledBufferWriter();
        OutputWriter = new Utf8JsonWriter(Output, LogTraceEventFormatter.JsonOptions);
        ScratchWriter = new Utf8JsonWriter(Scratch, LogTraceEventFormatter.JsonOptions);
    }

    public PooledBufferWriter Output { get; }

    public PooledBufferWriter Scratch { get; }

    public Utf8JsonWriter OutputWriter { get; }

    public Utf8JsonWriter ScratchWriter { get; }

    public MessageBuffer Message { get; } = new();

    // The names of the objects being written where values could repeat one (UniqueNames).
    public UniqueNames Names { get; } = new();

    public ReadOnlyMemory<byte> Body => Output.WrittenMemory;

    // Called before each event: a failed event may have left either writer mid-object.
    public void Reset()
    {
        Output.Clear();
        OutputWriter.Reset(Output);
        ResetScratch();
        Names.Reset();
    }

    public void ResetScratch()
    {
        Scratch.Clear();
        ScratchWriter.Reset(Scratch);
    }

    public void Dispose()
    {
        OutputWriter.Dispose();
        ScratchWriter.Dispose();
        Output.Dispose();
        Scratch.Dispose();
        Message.Dispose();
    }
}
