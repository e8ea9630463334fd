using System;
using System.Buffers;
using System.Threading;

namespace Serilog.Sinks.LogTrace.Pipeline;

// Where the memory outbox keeps formatted bodies while they wait for a sender: packed one after another into pooled
// 1 MiB byte arrays. A backlog of 10,000 records (the default queueLimit) is then some 6 arrays that hold no
// references, which the garbage collector neither traces nor moves (they live in the large object heap), instead of
// 10,000 log events' object graphs that it marks and copies (docs/benchmarks.md, "Backlog").
//
// One writer (the outbox's formatting loop) appends; any sender releases. A segment goes back to the pool when its
// writer has moved on (the segment is full, or the writer had nothing more to do: Seal) and every body in it has
// been released, so an idle sink holds no segment.
sealed class BodySegments
{
    internal const int SegmentSize = 1024 * 1024;

    // A body larger than this gets an array of its own, so that one large record does not strand a segment's free space.
    internal const int SharedUpTo = SegmentSize / 4;

    readonly ArrayPool<byte> _pool;
    BodySegment? _current;

    // pool: ArrayPool<byte>.Shared, or a test's.
    public BodySegments(ArrayPool<byte>? pool = null) => _pool = pool ?? ArrayPool<byte>.Shared;

    // Not thread-safe: one writer.
    public StoredBody Append(ReadOnlySpan<byte> body)
    {
        if (body.Length > SharedUpTo)
        {
            var own = new BodySegment(_pool, body.Length);
            var stored = own.Add(body);
            own.Release();
            return stored;
        }
        if (_current == null || _current.Free < body.Length)
        {
            _current?.Release();
            _current = new BodySegment(_pool, SegmentSize);
        }
        return _current.Add(body);
    }

    // The writer moves on (it has nothing more to write for now, or ever): the current segment goes back to the pool
    // once its bodies are released, and the next body starts a new one.
    public void Seal()
    {
        _current?.Release();
        _current = null;
    }
}

// One pooled array and the count of who still uses it: its writer (until it moves on) and each body stored in it.
sealed class BodySegment
{
    readonly ArrayPool<byte> _pool;
    readonly byte[] _array;
    int _used;
    int _users = 1;

    public BodySegment(ArrayPool<byte> pool, int size)
    {
        _pool = pool;
        _array = pool.Rent(size);
    }

    public int Free => _array.Length - _used;

    public StoredBody Add(ReadOnlySpan<byte> body)
    {
        body.CopyTo(_array.AsSpan(_used));
        Interlocked.Increment(ref _users);
        var stored = new StoredBody(this, new ReadOnlyMemory<byte>(_array, _used, body.Length));
        _used += body.Length;
        return stored;
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref _users) == 0)
            _pool.Return(_array);
    }
}

// One body in a segment. Released exactly once, when its record's outcome is known and no request reads it any more.
readonly struct StoredBody
{
    readonly BodySegment _segment;

    public StoredBody(BodySegment segment, ReadOnlyMemory<byte> bytes)
    {
        _segment = segment;
        Bytes = bytes;
    }

    public ReadOnlyMemory<byte> Bytes { get; }

    public void Release() => _segment.Release();
}
