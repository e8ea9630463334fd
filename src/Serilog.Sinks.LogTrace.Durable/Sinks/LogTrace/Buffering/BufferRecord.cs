using System;
using System.Text;
using Serilog.Sinks.LogTrace.Records;

namespace Serilog.Sinks.LogTrace.Buffering;

// One record as the durable buffer keeps it: the body exactly as it is sent (an event's, audit log's or session's
// _event_id included, so a record sent again after a crash can be recognised downstream), the kind that says its
// route, and what reports need without parsing the body.
sealed class BufferRecord
{
    // What one record counts for in the buffer's size beside its body and name: the store's row, index and
    // page overhead, roughly.
    internal const int Overhead = 48;

    // name: the marker's text (RecordKinds.MarkerText; empty for a sign-out), never a session token.
    public BufferRecord(long id, string name, DateTimeOffset loggedAt, byte[] body, bool corrupt = false, RecordKind kind = RecordKind.Event)
    {
        Id = id;
        Kind = kind;
        Name = name;
        LoggedAt = loggedAt;
        Body = body;
        Corrupt = corrupt;
        Size = body.Length + Encoding.UTF8.GetByteCount(name) + Overhead;
    }

    // 0 until the store has it.
    public long Id { get; }

    public RecordKind Kind { get; }

    public string Name { get; }

    public DateTimeOffset LoggedAt { get; }

    public byte[] Body { get; }

    // The stored bytes failed their checksum or could not be read: the record is moved aside, never sent.
    public bool Corrupt { get; }

    // Its size in the buffer's accounting, which bufferSizeLimitBytes bounds: the body and the name in UTF-8 bytes, as
    // the store counts a row back when it is deleted and at open (SqliteDatabase: LENGTH(CAST(name AS BLOB))). Not
    // the name's UTF-16 length, nor SQLite's LENGTH of text (characters, up to a NUL): either would leave bytes counted
    // for every delivered record whose name holds an emoji or a NUL, until an empty buffer refused records.
    public long Size { get; }
}
