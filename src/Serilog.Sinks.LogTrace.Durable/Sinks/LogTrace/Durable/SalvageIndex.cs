using System;
using Microsoft.Data.Sqlite;

namespace Serilog.Sinks.LogTrace.Durable;

// The damaged file's events index, as StoreSalvage walks it: the next id after a position, stepping one id at a time
// where the index around it is damaged, and a way past a long damaged stretch.
sealed class SalvageIndex : IDisposable
{
    readonly SqliteCommand _next;
    readonly SqliteParameter _after;

    public SalvageIndex(SqliteConnection connection)
    {
        _next = connection.CreateCommand();
        _next.CommandText = "SELECT id FROM events WHERE id > $after ORDER BY id LIMIT 1;";
        _after = _next.Parameters.Add("$after", SqliteType.Integer);
    }

    // The next id the index gives after `position`; null past the last. Where the index around here is damaged, the
    // id after `position`: the walk steps through it one id at a time.
    public long? NextId(long position) => TryNext(position, out var id) ? id : position + 1;

    // Past a damaged stretch: the index is asked for the id after position + jump, the jump doubling from `first`
    // until it answers (null when it does not before `last`); then the smallest such point is searched for between the
    // last that failed and the first that answered. That point is where the walk goes on, trying it first: its own row
    // can read though asking past the one before it fails (the seek passes through the damaged page). `position` is
    // where the walk stood: its row did not read, and the point found is past it.
    public long? JumpOver(long position, long last, long first)
    {
        // Position's own row did not read; the walk goes on past it whatever is found.
        var failed = position;
        long answered;
        for (var jump = first; ; jump *= 2)
        {
            // Never past the last id: the last jump asks from just before it.
            var probe = Math.Min(position + jump, last - 1);
            if (probe <= failed)
                return null;
            if (TryNext(probe, out _))
            {
                answered = probe;
                break;
            }
            failed = probe;
        }
        while (answered - failed > 1)
        {
            var middle = failed + (answered - failed) / 2;
            if (TryNext(middle, out _))
                answered = middle;
            else
                failed = middle;
        }
        return answered;
    }

    // Whether the index answers when asked for the id after `position`, and its answer (null: none after it).
    bool TryNext(long position, out long? id)
    {
        try
        {
            _after.Value = position;
            id = _next.ExecuteScalar() as long?;
            return true;
        }
        catch (SqliteException)
        {
            id = null;
            return false;
        }
    }

    public void Dispose() => _next.Dispose();
}
