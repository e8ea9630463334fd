using System;
using System.Buffers;
using System.IO;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Serilog.Events;

namespace Serilog.Sinks.LogTrace.Records;

// A TextWriter over a pooled, reusable char array: the rendered message of one event after another, without a string
// per event. Not thread-safe: one per FormatBuffers.
sealed class MessageBuffer : TextWriter
{
    const int InitialSize = 512;
    // A buffer grown past this for one very long message is given back rather than kept by the sender.
    const int MaximumKeptSize = 32 * 1024;

    char[] _buffer = ArrayPool<char>.Shared.Rent(InitialSize);
    int _length;

    public override Encoding Encoding => Encoding.Unicode;

    public ReadOnlySpan<char> Written => _buffer.AsSpan(0, _length);

    // The buffer's size (for tests).
    internal int Capacity => _buffer.Length;

    // The event's message rendered (culture-invariant) in place of what the buffer held, from the event's properties or
    // from `properties` in their place.
    public ReadOnlySpan<char> Render(LogEvent logEvent, IReadOnlyDictionary<string, LogEventPropertyValue>? properties = null)
    {
        Clear();
        logEvent.MessageTemplate.Render(properties ?? logEvent.Properties, this, CultureInfo.InvariantCulture);
        return Written;
    }

    public void Clear()
    {
        _length = 0;
        if (_buffer.Length > MaximumKeptSize)
        {
            ArrayPool<char>.Shared.Return(_buffer, clearArray: true);
            _buffer = ArrayPool<char>.Shared.Rent(InitialSize);
        }
    }

    public override void Write(char value)
    {
        Reserve(1);
        _buffer[_length++] = value;
    }

    public override void Write(string? value)
    {
        if (value != null)
            Append(value.AsSpan());
    }

    public override void Write(char[] buffer, int index, int count) => Append(buffer.AsSpan(index, count));

#if NET8_0_OR_GREATER
    // TextWriter's own copies the span into a rented array first.
    public override void Write(ReadOnlySpan<char> buffer) => Append(buffer);
#endif

    void Append(ReadOnlySpan<char> text)
    {
        Reserve(text.Length);
        text.CopyTo(_buffer.AsSpan(_length));
        _length += text.Length;
    }

    void Reserve(int more)
    {
        if (_length + more <= _buffer.Length)
            return;
        var larger = ArrayPool<char>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + more));
        _buffer.AsSpan(0, _length).CopyTo(larger);
        // Cleared: a rendered message is raw text, before any redaction.
        ArrayPool<char>.Shared.Return(_buffer, clearArray: true);
        _buffer = larger;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _buffer.Length > 0)
        {
            ArrayPool<char>.Shared.Return(_buffer, clearArray: true);
            _buffer = Array.Empty<char>();
            _length = 0;
        }
        base.Dispose(disposing);
    }
}
