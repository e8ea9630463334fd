using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using Microsoft.Data.Sqlite;
using Serilog.Sinks.LogTrace.Buffering;
using Serilog.Sinks.LogTrace.Records;

namespace Serilog.Sinks.LogTrace.Durable;

// One open events.db: its connection, prepared statements and the running totals. Not thread-safe: SqliteEventStore
// serialises every call.
sealed class SqliteDatabase : IDisposable
{
    public static readonly SqliteDatabase Unusable = new();

    readonly SqliteConnection? _connection;
    readonly SqliteCommand? _insert;
    readonly SqliteCommand? _read;
    readonly SqliteCommand? _readSkipping;
    readonly SqliteCommand? _delete;

    SqliteDatabase()
    {
    }

    public SqliteDatabase(string file, long idsAbove = 0)
    {
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = file,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString();
        _connection = new SqliteConnection(connectionString);
        try
        {
            // Owner-only before SQLite sees it; SQLite gives the -wal the database's mode.
            OwnerOnly.Prepare(file);
            OwnerOnly.Narrow(file + "-wal");
            _connection.Open();
            // One connection in one process (buffer.lock): file locks taken once, not around every statement, and the WAL
            // index in memory instead of a -shm file (docs/durable-buffer.md, docs/benchmarks.md).
            Execute("PRAGMA locking_mode=EXCLUSIVE;");
            Execute("PRAGMA journal_mode=WAL;");
            Execute("PRAGMA synchronous=NORMAL;");
            // A delivered record's bytes (session tokens, user ids) are overwritten with zeros, not left in free pages
            // (docs/durable-buffer.md has its cost).
            Execute("PRAGMA secure_delete=ON;");
            // kind: the RecordKind (0 event, 1 audit log, 2 session, 3 sign-out), which says the record's route.
            Execute("CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, logged_at INTEGER NOT NULL, " +
                "body BLOB NOT NULL, crc INTEGER NOT NULL, kind INTEGER NOT NULL DEFAULT 0);");
            UpgradeSchema(file);
            // Whose records these are (a hash of the API key, and the endpoint): see DurablePipeline.
            Execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);");
            // Read whole, through its index, at open: a damaged meta table is a damaged store (salvaged here), not an
            // exception out of the logger's creation when BacklogOwner reads it.
            Scalar("SELECT COUNT(*), SUM(LENGTH(value)) FROM (SELECT name, value FROM meta ORDER BY name);");
            if (idsAbove > 0)
            {
                // A store started anew while the old one's records are still in flight: new ids follow theirs.
                using var sequence = _connection.CreateCommand();
                sequence.CommandText = "INSERT INTO sqlite_sequence (name, seq) VALUES ('events', $seq);";
                sequence.Parameters.AddWithValue("$seq", idsAbove);
                sequence.ExecuteNonQuery();
            }
            // Reads every row once: a damaged table is found here, at open, rather than half-way through delivery.
            using (var stats = _connection.CreateCommand())
            {
                stats.CommandText = "SELECT COUNT(*), COALESCE(SUM(LENGTH(body) + LENGTH(CAST(name AS BLOB))), 0) FROM events;";
                using var reader = stats.ExecuteReader();
                reader.Read();
                Count = reader.GetInt64(0);
                Bytes = reader.GetInt64(1) + Count * BufferRecord.Overhead;
            }

            _insert = _connection.CreateCommand();
            _insert.CommandText = "INSERT INTO events (name, logged_at, body, crc, kind) VALUES ($name, $logged_at, $body, $crc, $kind);";
            _insert.Parameters.Add("$name", SqliteType.Text);
            _insert.Parameters.Add("$logged_at", SqliteType.Integer);
            _insert.Parameters.Add("$body", SqliteType.Blob);
            _insert.Parameters.Add("$crc", SqliteType.Integer);
            _insert.Parameters.Add("$kind", SqliteType.Integer);

            _read = _connection.CreateCommand();
            _read.CommandText = "SELECT id, name, logged_at, body, crc, kind FROM events WHERE id > $after ORDER BY id LIMIT $max;";
            _read.Parameters.Add("$after", SqliteType.Integer);
            _read.Parameters.Add("$max", SqliteType.Integer);

            // The same, without the kinds whose route is refused now. A kind that is not a small integer is damage:
            // such a row is always read, and found corrupt.
            _readSkipping = _connection.CreateCommand();
            _readSkipping.CommandText = "SELECT id, name, logged_at, body, crc, kind FROM events WHERE id > $after AND " +
                "(typeof(kind) <> 'integer' OR kind < 0 OR kind > 62 OR (($skip >> kind) & 1) = 0) ORDER BY id LIMIT $max;";
            _readSkipping.Parameters.Add("$after", SqliteType.Integer);
            _readSkipping.Parameters.Add("$max", SqliteType.Integer);
            _readSkipping.Parameters.Add("$skip", SqliteType.Integer);

            _delete = _connection.CreateCommand();
            // What the row counted for, from the row itself: a damaged record's body may have been read short.
            _delete.CommandText = "DELETE FROM events WHERE id = $id RETURNING LENGTH(body) + LENGTH(CAST(name AS BLOB));";
            _delete.Parameters.Add("$id", SqliteType.Integer);
        }
        catch
        {
            _connection.Dispose();
            throw;
        }
    }

    // The schema this code writes (PRAGMA user_version). 1: the kind column. A buffer written before it holds events
    // only, which the column's default says; a buffer from a later version is refused rather than misread.
    internal const int SchemaVersion = 1;

    void UpgradeSchema(string file)
    {
        var version = Convert.ToInt64(Scalar("PRAGMA user_version;"), CultureInfo.InvariantCulture);
        if (version > SchemaVersion)
        {
            throw new NotSupportedException("it was written by a later version of Serilog.Sinks.LogTrace (schema " +
                version.ToString(CultureInfo.InvariantCulture) + "), which this version cannot read: use that version, or another bufferPath");
        }
        if (version == SchemaVersion)
            return;
        if (Convert.ToInt64(Scalar("SELECT COUNT(*) FROM pragma_table_info('events') WHERE name = 'kind';"), CultureInfo.InvariantCulture) == 0)
            Execute("ALTER TABLE events ADD COLUMN kind INTEGER NOT NULL DEFAULT 0;");
        Execute("PRAGMA user_version = " + SchemaVersion.ToString(CultureInfo.InvariantCulture) + ";");
    }

    public long Count { get; private set; }

    public long Bytes { get; private set; }

    SqliteConnection Connection => _connection ?? throw new IOException("The durable buffer's store could not be recreated after damage.");

    public void Append(IReadOnlyList<BufferRecord> records)
    {
        var connection = Connection;
        long bytes = 0;
        using (var transaction = connection.BeginTransaction())
        {
            _insert!.Transaction = transaction;
            foreach (var record in records)
            {
                _insert.Parameters[0].Value = record.Name;
                _insert.Parameters[1].Value = record.LoggedAt.ToUnixTimeMilliseconds();
                _insert.Parameters[2].Value = record.Body;
                _insert.Parameters[3].Value = (long)StoredRows.Checksum(record.Body, (long)record.Kind);
                _insert.Parameters[4].Value = (long)record.Kind;
                _insert.ExecuteNonQuery();
                bytes += record.Size;
            }
            transaction.Commit();
        }
        _insert.Transaction = null;
        Count += records.Count;
        Bytes += bytes;
    }

    public IReadOnlyList<BufferRecord> ReadAfter(long afterId, int max, int skipKinds = 0)
    {
        _ = Connection;
        var command = skipKinds == 0 ? _read! : _readSkipping!;
        command.Parameters[0].Value = afterId;
        command.Parameters[1].Value = max;
        if (skipKinds != 0)
            command.Parameters[2].Value = skipKinds;
        var records = new List<BufferRecord>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
            records.Add(StoredRows.Read(reader));
        return records;
    }

    public void Delete(BufferRecord record)
    {
        _ = Connection;
        _delete!.Parameters[0].Value = record.Id;
        if (_delete.ExecuteScalar() is long size)
        {
            Count--;
            Bytes -= size + BufferRecord.Overhead;
            if (Count == 0 || ++_deletesSinceCheckpoint >= DeletesPerCheckpoint)
                Checkpoint();
        }
    }

    // secure_delete zeroes a deleted row in the page's new version, but the WAL still holds the page's earlier frames
    // (the record as it was inserted) until they are overwritten. A checkpoint that truncates the WAL ends that, every
    // DeletesPerCheckpoint deletes and whenever the store empties: a delivered session's token stays readable in the
    // files until then at most. Best effort: a failed checkpoint (a reader, a full disk) is tried again later.
    internal const int DeletesPerCheckpoint = 1000;
    int _deletesSinceCheckpoint;

    void Checkpoint()
    {
        _deletesSinceCheckpoint = 0;
        try
        {
            Scalar("PRAGMA wal_checkpoint(TRUNCATE);");
        }
        catch (SqliteException)
        {
        }
    }

    // A value of the meta table; null when it is not set.
    public string? ReadMeta(string name)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = "SELECT value FROM meta WHERE name = $name;";
        command.Parameters.AddWithValue("$name", name);
        return command.ExecuteScalar() as string;
    }

    public void WriteMeta(string name, string value)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = "INSERT INTO meta (name, value) VALUES ($name, $value) ON CONFLICT(name) DO UPDATE SET value = excluded.value;";
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$value", value);
        command.ExecuteNonQuery();
    }

    // How many records of each kind the file holds (index: RecordKind), for the lines that name them.
    public long[] CountByKind()
    {
        var counts = new long[RecordKinds.Count];
        if (_connection == null || Count == 0)
            return counts;
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT kind, COUNT(*) FROM events GROUP BY kind;";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            if (reader.GetFieldType(0) == typeof(long) && reader.GetInt64(0) is >= 0 and < RecordKinds.Count)
                counts[reader.GetInt64(0)] = reader.GetInt64(1);
        }
        return counts;
    }

    // When the oldest record still in the file was logged; null when there is none.
    public DateTimeOffset? OldestLoggedAt() =>
        _connection == null || Count == 0 ? null
        : Scalar("SELECT logged_at FROM events ORDER BY id LIMIT 1;") is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    internal object? Scalar(string sql)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    void Execute(string sql)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _insert?.Dispose();
        _read?.Dispose();
        _readSkipping?.Dispose();
        _delete?.Dispose();
        _connection?.Dispose();
    }
}
