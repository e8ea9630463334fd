using Serilog.Sinks.LogTrace.Buffering;
using Serilog.Sinks.LogTrace.Durable;

namespace Serilog.Sinks.LogTrace.Tests.Support;

// The real store; its Count fails once BacklogOwner has read it (the durable outbox's constructor reads it next).
sealed class CountFailsAfterClaim : EventStoreFactory
{
    readonly bool _failDispose;

    public CountFailsAfterClaim(bool failDispose = false) => _failDispose = failDispose;

    public int Opens => Volatile.Read(ref _opens);
    int _opens;

    public override EventStore Open(string folder, DeadLetterFolder deadLetters)
    {
        Interlocked.Increment(ref _opens);
        return new Store(SqliteEventStore.Open(folder, deadLetters), _failDispose);
    }

    sealed class Store : EventStore
    {
        readonly SqliteEventStore _inner;
        readonly bool _failDispose;
        int _counts;

        public Store(SqliteEventStore inner, bool failDispose)
        {
            _inner = inner;
            _failDispose = failDispose;
        }

        public override string Folder => _inner.Folder;

        public override long Count => Interlocked.Increment(ref _counts) > 1 ? throw new InvalidOperationException("count failed") : _inner.Count;

        public override long Bytes => _inner.Bytes;

        public override void Append(IReadOnlyList<BufferRecord> records) => _inner.Append(records);

        public override IReadOnlyList<BufferRecord> ReadAfter(long afterId, int max) => _inner.ReadAfter(afterId, max);

        public override void Delete(BufferRecord record) => _inner.Delete(record);

        public override string? ReadMeta(string name) => _inner.ReadMeta(name);

        public override void WriteMeta(string name, string value) => _inner.WriteMeta(name, value);

        public override void Dispose()
        {
            _inner.Dispose();
            if (_failDispose)
                throw new InvalidOperationException("close failed");
        }
    }
}
