using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Hashing;
using System.Text;
using Microsoft.Data.Sqlite;
using Serilog.Debugging;
using Serilog.Sinks.LogTrace.Buffering;

namespace Serilog.Sinks.LogTrace.Durable;

// The durable buffer in one SQLite database (events.db) in write-ahead-log mode. An append is one transaction, so a
// process killed at any moment leaves whole records only; synchronous=NORMAL makes a commit survive the process
// (it is in the operating system's cache at once), though not a power cut, without an fsync per batch. Each record
// carries a CRC-32 of its body: a record damaged on disk is found when it is read, and moved aside.
sealed class SqliteEventStore : EventStore
{
    internal const string FileName = "events.db";

    // SQLITE_CORRUPT and SQLITE_NOTADB: the file is not a database any more.
    const int Corrupt = 11;
    const int NotADatabase = 26;

    readonly SqliteConnection _connection;
    readonly SqliteCommand _insert;
    readonly SqliteCommand _read;
    readonly SqliteCommand _delete;
    readonly object _lock = new();
    long _count, _bytes;
    bool _disposed;

    SqliteEventStore(string folder, string file)
    {
        Folder = folder;
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = file,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString();
        _connection = new SqliteConnection(connectionString);
        try
        {
            _connection.Open();
            Execute("PRAGMA journal_mode=WAL;");
            Execute("PRAGMA synchronous=NORMAL;");
            Execute("CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, logged_at INTEGER NOT NULL, " +
                "body BLOB NOT NULL, crc INTEGER NOT NULL);");
            using (var stats = _connection.CreateCommand())
            {
                stats.CommandText = "SELECT COUNT(*), COALESCE(SUM(LENGTH(body) + LENGTH(name)), 0) FROM events;";
                using var reader = stats.ExecuteReader();
                reader.Read();
                _count = reader.GetInt64(0);
                _bytes = reader.GetInt64(1) + _count * BufferRecord.Overhead;
            }

            _insert = _connection.CreateCommand();
            _insert.CommandText = "INSERT INTO events (name, logged_at, body, crc) VALUES ($name, $logged_at, $body, $crc);";
            _insert.Parameters.Add("$name", SqliteType.Text);
            _insert.Parameters.Add("$logged_at", SqliteType.Integer);
            _insert.Parameters.Add("$body", SqliteType.Blob);
            _insert.Parameters.Add("$crc", SqliteType.Integer);

            _read = _connection.CreateCommand();
            _read.CommandText = "SELECT id, name, logged_at, body, crc FROM events WHERE id > $after ORDER BY id LIMIT $max;";
            _read.Parameters.Add("$after", SqliteType.Integer);
            _read.Parameters.Add("$max", SqliteType.Integer);

            _delete = _connection.CreateCommand();
            _delete.CommandText = "DELETE FROM events WHERE id = $id;";
            _delete.Parameters.Add("$id", SqliteType.Integer);
        }
        catch
        {
            _connection.Dispose();
            throw;
        }
    }

    public override string Folder { get; }

    public override long Count => System.Threading.Interlocked.Read(ref _count);

    public override long Bytes => System.Threading.Interlocked.Read(ref _bytes);

    // Opens the store in the folder. A file that is not a readable database (damaged on disk, or not SQLite) is moved
    // to the dead-letter folder and a new store started: delivery goes on. Anything else that prevents opening
    // fails the logger's creation, naming the folder.
    public static SqliteEventStore Open(string folder, DeadLetterFolder deadLetters)
    {
        var file = Path.Combine(folder, FileName);
        try
        {
            return new SqliteEventStore(folder, file);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is Corrupt or NotADatabase)
        {
            foreach (var part in new[] { file, file + "-wal", file + "-shm" })
            {
                if (File.Exists(part) && !deadLetters.TryMoveIn(part, "unreadable"))
                    throw BufferLock.Unusable(folder, "its store " + file + " is damaged and could not be moved aside", ex);
            }
            SelfLog.WriteLine("LogTrace: the durable buffer's store {0} could not be read ({1}); it was moved to {2} and a new one started",
                file, ex.Message, deadLetters.Path);
        }
        catch (SqliteException ex)
        {
            throw BufferLock.Unusable(folder, "its store " + file + " cannot be opened", ex);
        }

        try
        {
            return new SqliteEventStore(folder, file);
        }
        catch (SqliteException ex)
        {
            throw BufferLock.Unusable(folder, "its store " + file + " cannot be opened", ex);
        }
    }

    public override void Append(IReadOnlyList<BufferRecord> records)
    {
        lock (_lock)
        {
            ThrowIfDisposed();
            long bytes = 0;
            using (var transaction = _connection.BeginTransaction())
            {
                _insert.Transaction = transaction;
                foreach (var record in records)
                {
                    _insert.Parameters[0].Value = record.Name;
                    _insert.Parameters[1].Value = record.LoggedAt.ToUnixTimeMilliseconds();
                    _insert.Parameters[2].Value = record.Body;
                    _insert.Parameters[3].Value = (long)Crc32.HashToUInt32(record.Body);
                    _insert.ExecuteNonQuery();
                    bytes += record.Size;
                }
                transaction.Commit();
            }
            _insert.Transaction = null;
            _count += records.Count;
            _bytes += bytes;
        }
    }

    public override IReadOnlyList<BufferRecord> ReadAfter(long afterId, int max)
    {
        lock (_lock)
        {
            ThrowIfDisposed();
            _read.Parameters[0].Value = afterId;
            _read.Parameters[1].Value = max;
            var records = new List<BufferRecord>();
            using var reader = _read.ExecuteReader();
            while (reader.Read())
                records.Add(ReadRecord(reader));
            return records;
        }
    }

    // Whatever is wrong with a row (a value of the wrong type, a checksum that does not match), it comes back as a
    // corrupt record with the bytes that could be read, so it can be moved aside.
    static BufferRecord ReadRecord(SqliteDataReader reader)
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
            var intact = reader.GetFieldType(3) == typeof(byte[]) && crc == Crc32.HashToUInt32(body);
            return new BufferRecord(id, name, loggedAt, body, corrupt: !intact);
        }
        catch (Exception)
        {
            return new BufferRecord(id, "(unreadable)", DateTimeOffset.FromUnixTimeMilliseconds(0), body, corrupt: true);
        }
    }

    public override void Delete(BufferRecord record)
    {
        lock (_lock)
        {
            ThrowIfDisposed();
            _delete.Parameters[0].Value = record.Id;
            if (_delete.ExecuteNonQuery() == 1)
            {
                _count--;
                _bytes -= record.Size;
            }
        }
    }

    void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    void ThrowIfDisposed()
    {
        if (_disposed)
            throw new ObjectDisposedException(nameof(SqliteEventStore));
    }

    public override void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
                return;
            _disposed = true;
            _insert.Dispose();
            _read.Dispose();
            _delete.Dispose();
            _connection.Dispose();
        }
    }
}

// Found by name by the core package (EventStores) when bufferPath is set.
sealed class SqliteEventStoreFactory : EventStoreFactory
{
    public override EventStore Open(string folder, DeadLetterFolder deadLetters) => SqliteEventStore.Open(folder, deadLetters);
}
