using Serilog.Sinks.LogTrace.Configuration;
using Serilog.Sinks.LogTrace.Pipeline;

namespace Serilog.Sinks.LogTrace.Buffering;

// What the core package needs of the durable buffer, which lives in the Serilog.Sinks.LogTrace.Durable package with
// all of its code (the outbox, the pump, the settlement, the lock, the store): a sink whose outbox is the buffer at
// bufferPath, or one in memory when the buffer cannot be used (another process holds the folder, the disk is full),
// with a SelfLog line that says so. EventStoreLocator finds the implementation.
abstract class DurableBuffer
{
    public abstract LogTraceSink CreateSink(LogTraceSinkSettings settings, string bufferPath);
}
