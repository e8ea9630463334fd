using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using Microsoft.Data.Sqlite;
using Serilog.Sinks.LogTrace.Buffering;
using Serilog.Sinks.LogTrace.Accounting;

namespace Serilog.Sinks.LogTrace.Durable;

// A store found damaged at open gives back what it can before it is moved aside. Its rows are read one id at a time,
// oldest first, so a damaged page loses the rows on it and no others; each row that reads and passes its checksum is
// copied into a new file beside it (events.salvage.db), which then takes the damaged file's place. What cannot be
// read is counted: the ids between the first and the last the file gave out that no longer read (delivered records'
// ids, removed before the damage, cannot be told apart from them there, so the figure is an upper bound), and the
// rows whose checksum fails. A long damaged stretch (GiveUpAfter ids in a row) is jumped over through the index
// (SalvageIndex.JumpOver), not stepped through id by id.
//
// A kill during the salvage leaves the damaged file where it was: the next start salvages again, over a fresh copy. A
// kill after the file was moved aside leaves the copy, which the next start takes (SqliteEventStore, with what is left
// of the damaged file's -wal moved aside first).
static class StoreSalvage
{
    internal const string FileName = "events.salvage.db";
    const int Batch = 500;
    // With no last id to go by (the file lost it too), the walk stops after this many ids in a row that do not read.
    internal const int GiveUpAfter = 10_000;

    internal sealed class Result
    {
        public long Salvaged { get; set; }

        // Ids that did not read, and rows whose checksum failed; -1 when the file could not be read at all.
        public long Unreadable { get; set; }

        public long Corrupt { get; set; }

        public long FirstLostId { get; set; }

        public long LastLostId { get; set; }

        // Why the file could not be read at all.
        public string? Failure { get; set; }

        public long Lost => Unreadable < 0 ? -1 : Unreadable + Corrupt;

        public void LostId(long id)
        {
            if (FirstLostId == 0)
                FirstLostId = id;
            LastLostId = id;
        }
    }

    // Copies what reads from `damaged` into `salvage` (created anew). Never throws: what cannot be done is counted.
    // idsAbove: the salvaged records are numbered above it (a store recovered while running: no record still in flight
    // from the old file can meet one of them). inFlight: ids a sender has, which are not copied (their senders account
    // for them).
    // giveUpAfter: GiveUpAfter, smaller in tests.
    public static Result Run(string damaged, string salvage, long idsAbove = 0, Func<long, bool>? inFlight = null, int giveUpAfter = GiveUpAfter)
    {
        var result = new Result();
        giveUpAfter = Math.Max(1, giveUpAfter);
        DeleteFile(salvage);
        SqliteConnection? connection = null;
        SqliteDatabase? target = null;
        try
        {
            // An earlier copy that could not be removed would be appended to, its rows sent twice.
            if (Exists(salvage) || Exists(salvage + "-wal"))
                throw new IOException("an earlier copy, " + salvage + ", could not be removed");
            connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = damaged, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
            connection.Open();
            // As the store itself runs: the WAL index in memory, no -shm file.
            Scalar(connection, "PRAGMA locking_mode=EXCLUSIVE;");
            // A file shorter than its header says (cut off at the end) is otherwise refused whole; this connection only
            // reads.
            Scalar(connection, "PRAGMA writable_schema=ON;");
            // The schema is on the first page: without it no row can be found.
            Scalar(connection, "SELECT COUNT(*) FROM sqlite_master;");
            // The walk starts below the lowest id there is: the index gives the first (delivered records before it are
            // neither walked nor counted). The last id the file gave out bounds it, or the highest id the index still
            // gives where that is higher (a damaged sequence row can say less): whichever of the two can be read.
            var last = Max(TryScalar(connection, "SELECT seq FROM sqlite_sequence WHERE name = 'events';"), TryScalar(connection, "SELECT MAX(id) FROM events;"));
            target = new SqliteDatabase(salvage, idsAbove);
            CopyMeta(connection, target, damaged);
            Walk(connection, target, last, inFlight, giveUpAfter, result);
        }
        catch (Exception ex)
        {
            // Not a database at all, or the salvage file cannot be written: the rows cannot be counted.
            if (target == null)
            {
                result.Failure = ex.Message;
                result.Unreadable = -1;
                result.Salvaged = 0;
            }
        }
        finally
        {
            connection?.Dispose();
            target?.Dispose();
        }
        if (result.Salvaged == 0)
            DeleteFile(salvage);
        return result;
    }

    // Whose backlog it is (BacklogOwner) goes with the records: without it, a salvaged backlog would take the next
    // start's configuration and could be sent to another endpoint. Best effort: a meta table damaged too is said, and
    // the salvaged records then take the configuration of the logger that opens them (BacklogOwner: a store without
    // the values), as a store written before the values were kept does.
    static void CopyMeta(SqliteConnection connection, SqliteDatabase target, string damaged)
    {
        var values = new List<(string Name, string Value)>();
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT name, value FROM meta;";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                if (reader.GetValue(0) is string name && reader.GetValue(1) is string value)
                    values.Add((name, value));
            }
        }
        catch (SqliteException ex)
        {
            QuietSelfLog.WriteLine("LogTrace: which endpoint and key the records in {0} were logged for could not be read ({1}); the records " +
                "salvaged from it are sent with the configuration of the logger that opens the buffer", damaged, ex.Message);
        }
        foreach (var (name, value) in values)
            target.WriteMeta(name, value);
    }

    static void Walk(SqliteConnection connection, SqliteDatabase target, long? last, Func<long, bool>? inFlight, int giveUpAfter, Result result)
    {
        using var index = new SalvageIndex(connection);
        using var row = connection.CreateCommand();
        row.CommandText = "SELECT id, name, logged_at, body, crc, kind FROM events WHERE id = $id;";
        var id = row.Parameters.Add("$id", SqliteType.Integer);

        var batch = new List<BufferRecord>(Batch);
        long position = 0;
        var failuresInARow = 0;
        var anyRow = false;
        // Until the index has no next id, or (stepping one id at a time through a damaged index) past the last.
        while (index.NextId(position) is { } current && !(current > last))
        {
            try
            {
                id.Value = current;
                using var reader = row.ExecuteReader();
                if (reader.Read())
                {
                    anyRow = true;
                    var record = StoredRows.Read(reader);
                    if (inFlight != null && inFlight(current))
                    {
                        // A sender has it, and accounts for it.
                    }
                    else if (record.Corrupt)
                    {
                        result.Corrupt++;
                        result.LostId(current);
                    }
                    else
                    {
                        batch.Add(record);
                    }
                }
                failuresInARow = 0;
            }
            catch (SqliteException)
            {
                if (inFlight == null || !inFlight(current))
                {
                    result.Unreadable++;
                    result.LostId(current);
                }
                failuresInARow++;
            }

            // One transaction per batch: the salvage of a large store neither holds it all in memory nor commits row by row.
            if (batch.Count == Batch)
                Flush(target, batch, result);
            position = current;
            if (failuresInARow >= giveUpAfter)
            {
                if (last == null)
                    break;
                // A damaged stretch (a leaf at the start after long use, the table's root): the index is asked for an id
                // further on, ever further, and the walk goes on from the first it gives; the ids jumped over are
                // counted. Past the last id, or with no id found, the ids left are counted, not tried one by one.
                if (index.JumpOver(position, last.Value, giveUpAfter) is not { } resumed)
                {
                    result.Unreadable += last.Value - position;
                    result.LastLostId = last.Value;
                    break;
                }
                if (resumed - 1 > position)
                {
                    result.Unreadable += resumed - 1 - position;
                    result.LastLostId = resumed - 1;
                }
                // Asking from here fails, so the walk steps to `resumed` and tries it.
                position = resumed - 1;
                failuresInARow = 0;
            }
        }
        Flush(target, batch, result);
        if (last == null && failuresInARow > 0)
        {
            if (!anyRow)
            {
                // Not one row read, and no last id to go by: how many the file held cannot be told (not "none").
                result.Unreadable = -1;
                result.Failure = "its table and its last id are damaged";
                return;
            }
            // The ids past the last row that read were tried and did not read: not rows the file held, as far as can be told.
            result.Unreadable -= failuresInARow;
        }
    }

    static long? Max(long? a, long? b) => a is { } x && b is { } y ? Math.Max(x, y) : a ?? b;

    // An empty batch commits an empty transaction: nothing is written.
    static void Flush(SqliteDatabase target, List<BufferRecord> batch, Result result)
    {
        target.Append(batch);
        result.Salvaged += batch.Count;
        batch.Clear();
    }

    public static string Describe(Result result) => result.Lost switch
    {
        < 0 => "none of its rows could be read (" + result.Failure + "), and how many it held is not known",
        0 => "every row was recovered",
        _ => string.Format(CultureInfo.InvariantCulture, "{0} could not be read (ids {1} to {2}; ids of records delivered before the damage may be among them)",
            result.Lost, result.FirstLostId, result.LastLostId),
    };

    static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    static long? TryScalar(SqliteConnection connection, string sql)
    {
        try
        {
            return Scalar(connection, sql) as long?;
        }
        catch (SqliteException)
        {
            return null;
        }
    }

    // The -shm and -wal go before the file, and the file stays while either could not be deleted: a run killed
    // part-way, or a delete refused (a virus scanner holding the -wal), leaves a file without a -wal, never a -wal
    // without its file, which SqliteEventStore would take for the -wal of a salvage that had taken the store's place.
    static void DeleteFile(string file)
    {
        TryDelete(file + "-shm");
        TryDelete(file + "-wal");
        if (!Exists(file + "-shm") && !Exists(file + "-wal"))
            TryDelete(file);
    }

    static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }

    // Anything at the path: a file, or whatever else holds the name.
    static bool Exists(string path) => File.Exists(path) || Directory.Exists(path);
}
