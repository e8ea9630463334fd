using System;
using System.Threading.Tasks;

namespace Serilog.Sinks.LogTrace.Pipeline;

// Where the sink's queue drains to: the senders (MemoryOutbox), or the durable buffer and the senders behind it
// (Buffering.DurableOutbox). An outbox takes every record from the queue and tells the ledger each one's outcome.
abstract class Outbox
{
    // Finishes once the queue is complete and every record taken from it is settled (or, with the durable buffer,
    // left on disk), by the shutdown deadline at the latest when the HttpMessageHandler honours cancellation.
    public abstract Task Completion { get; }

    // For the status: the records in the durable buffer not yet delivered; null without one.
    public virtual long? Buffered => null;

    // For the status: why the configured durable buffer is not used now (Buffering.HeldBufferOutbox); null when it is,
    // or when none is configured.
    public virtual string? BufferUnavailable => null;

    // For the status: when the oldest record the outbox holds (formatted, on disk, in flight or waiting to be retried)
    // was logged; null when it holds none. Never throws.
    public abstract DateTimeOffset? OldestUndelivered();

    // Written to SelfLog when the sink gives up waiting for Completion (a handler that ignores cancellation, a hook
    // that does not return). unfinished: the records the ledger held then, now counted lost (RecordLedger.Abandon).
    public abstract void OnAbandoned(long unfinished);

    // After Completion (or giving up on it): the shutdown summary, then everything the outbox owns is released.
    public abstract void Close();
}
