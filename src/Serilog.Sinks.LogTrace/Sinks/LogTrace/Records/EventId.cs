using System;
using System.Text.Json;

namespace Serilog.Sinks.LogTrace.Records;

// Each event's _event_id: a UUID version 7 (RFC 9562) whose time is the event's timestamp, so ids sort roughly by when
// the events were logged. It is for recognising duplicates, not a secret, so its 74 random bits come from the
// runtime's fast shared generator (seeded from the OS once per process) rather than from a cryptographic source:
// Guid.NewGuid and Guid.CreateVersion7 ask the OS for every id (and the latter reads the clock), which cost more than a
// microsecond per event on the machine the budget was measured on (docs/benchmarks.md). Written straight into the
// body: no string per event.
static class EventId
{
    const int Length = 36; // "D" format: 32 hex digits and 4 hyphens

    public static void Write(Utf8JsonWriter writer, JsonEncodedText name, DateTimeOffset timestamp)
    {
#if NET8_0_OR_GREATER
        Span<byte> bytes = stackalloc byte[16];
        Random.Shared.NextBytes(bytes.Slice(6));
        // Before 1970 (a hand-made timestamp) counts as 1970: the id stays a valid version 7 UUID.
        var milliseconds = Math.Max(0, timestamp.ToUnixTimeMilliseconds());
        for (var i = 5; i >= 0; i--)
        {
            bytes[i] = (byte)milliseconds;
            milliseconds >>= 8;
        }
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x70);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        Span<char> text = stackalloc char[Length];
        new Guid(bytes, bigEndian: true).TryFormat(text, out _, "D");
        writer.WriteString(name, text);
#else
        writer.WriteString(name, Guid.NewGuid().ToString("D"));
#endif
    }
}
