using System;
using System.Buffers;

namespace Serilog.Sinks.LogTrace.Records;

// ArrayBufferWriter<T> is not available on netstandard2.0 and never returns its array to a pool; events are
// formatted one after another into the same rented array, so a steady stream of events allocates nothing here.
sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
{
    const int MinimumSize = 4096;
    byte[] _buffer;
    int _written;

    public PooledBufferWriter(int initialSize = MinimumSize)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initialSize, MinimumSize));
    }

    public int WrittenCount => _written;

    public ReadOnlyMemory<byte> WrittenMemory => new(_buffer, 0, _written);

    public ReadOnlySpan<byte> WrittenSpan => new(_buffer, 0, _written);

    public void Clear() => _written = 0;

    public void Advance(int count)
    {
        if (count < 0 || _written + count > _buffer.Length)
            throw new ArgumentOutOfRangeException(nameof(count));
        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    void Ensure(int sizeHint)
    {
        var needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written >= needed)
            return;

        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _written + needed));
        Buffer.BlockCopy(_buffer, 0, larger, 0, _written);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = Array.Empty<byte>();
        _written = 0;
        if (buffer.Length > 0)
            ArrayPool<byte>.Shared.Return(buffer);
    }
}
