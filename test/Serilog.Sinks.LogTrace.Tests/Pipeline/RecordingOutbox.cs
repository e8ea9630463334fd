using Serilog.Sinks.LogTrace.Pipeline;

namespace Serilog.Sinks.LogTrace.Tests.Pipeline;

// An outbox that records what the sink asks of it, for tests of the sink itself: it finishes with `completion`, and
// names a reason the durable buffer is unavailable.
sealed class RecordingOutbox(Task completion) : Outbox
{
    public int Abandoned;
    public int Closed;

    public override Task Completion => completion;

    public override string? BufferUnavailable => "the outbox's reason";

    public override DateTimeOffset? OldestUndelivered() => null;

    public override void OnAbandoned(long unfinished) => Interlocked.Increment(ref Abandoned);

    public override void Close() => Interlocked.Increment(ref Closed);
}
