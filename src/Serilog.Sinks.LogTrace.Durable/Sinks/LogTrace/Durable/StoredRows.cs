using System;
using System.IO.Hashing;
using System.Text;
using Microsoft.Data.Sqlite;
using Serilog.Sinks.LogTrace.Buffering;
using Serilog.Sinks.LogTrace.Records;

namespace Serilog.Sinks.LogTrace.Durable;

// A row of the events table as a record, and the checksum that says whether it is the row that was written. Used by
// SqliteDatabase to read the store, and by StoreSalvage to read what can be read of a damaged one. The row's columns,
// in order: id, name, logged_at, body, crc, kind.
static class StoredRows
{
    // Whatever is wrong with a row (a value of the wrong type, a checksum that does not match), it comes back as a
    // corrupt record with the bytes that could be read, so it can be moved aside.
    public static BufferRecord Read(SqliteDataReader reader)
    {
        var id = reader.GetInt64(0);
        byte[] body;
        try
        {
            body = reader.GetValue(3) switch
            {
                byte[] bytes => bytes,
                string text => Encoding.UTF8.GetBytes(text),
                _ => Array.Empty<byte>(),
            };
        }
        catch (Exception)
        {
            body = Array.Empty<byte>();
        }

        try
        {
            var name = reader.GetString(1);
            var loggedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2));
            var crc = reader.GetInt64(4);
            // A kind that is not an integer, or that this version does not know, cannot be routed: moved aside like a
            // damaged record, never sent to a guessed route.
            var kind = reader.GetFieldType(5) == typeof(long) ? reader.GetInt64(5) : -1;
            var intact = reader.GetFieldType(3) == typeof(byte[]) && kind is >= 0 and < RecordKinds.Count && crc == Checksum(body, kind);
            return new BufferRecord(id, name, loggedAt, body, corrupt: !intact, kind: intact ? (RecordKind)kind : RecordKind.Event);
        }
        catch (Exception)
        {
            return new BufferRecord(id, "(unreadable)", DateTimeOffset.FromUnixTimeMilliseconds(0), body, corrupt: true);
        }
    }

    // The body's CRC-32, with the kind folded in: a kind changed on disk fails the check as a changed body does. An
    // event's (kind 0) is the body's CRC-32 alone, as in a buffer written before the kind column.
    public static uint Checksum(byte[] body, long kind) => Crc32.HashToUInt32(body) ^ (uint)kind;
}
