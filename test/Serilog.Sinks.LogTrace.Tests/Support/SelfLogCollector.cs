using System.Collections.Concurrent;
using Serilog.Debugging;

namespace Serilog.Sinks.LogTrace.Tests.Support;

// SelfLog is process-wide: tests that read it belong to the SelfLog collection, which runs alone.
sealed class SelfLogCollector : IDisposable
{
    readonly ConcurrentQueue<string> _lines = new();

    public SelfLogCollector() => SelfLog.Enable(line => _lines.Enqueue(line));

    public IReadOnlyList<string> Lines => _lines.ToArray();

    public string Text => string.Join(Environment.NewLine, _lines);

    public void Dispose() => SelfLog.Disable();
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SelfLogCollection
{
    public const string Name = "SelfLog";
}
