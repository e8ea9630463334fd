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
// carries a CRC-32 of its body: a record damaged on disk is found when it is read, and moved aside. A file damaged
// beyond single records (SQLite reports it as corrupt, or as not a database) is moved to the dead-letter folder
// whole, at open or when a read finds it, and an empty store takes its place: delivery goes on.
sealed class SqliteEventStore : EventStore
{
    internal const string FileName = "events.db";

    // SQLITE_CORRUPT and SQLITE_NOTADB: the file is not a database any more. SQLITE_FULL, and SQLITE_IOERR (what opening
    // an existing store on a full disk reports, failing to create its -shm file): the disk cannot take it now.
    const int Corrupt = 11;
    const int NotADatabase = 26;
    const int Full = 13;
    const int InputOutputError = 10;

    readonly string _file;
    readonly DeadLetterFolder _deadLetters;
    readonly object _lock = new();
    Database _database;
    bool _disposed;

    SqliteEventStore(string folder, DeadLetterFolder deadLetters)
    {
        Folder = folder;
        _file = Path.Combine(folder, FileName);
        _deadLetters = deadLetters;
        _database = OpenDatabase();
    }

    public override string Folder { get; }

    public override long Count
    {
        get
        {
            lock (_lock)
                return _database.Count;
        }
    }

    public override long Bytes
    {
        get
        {
            lock (_lock)
                return _database.Bytes;
        }
    }

    // Opens the store in the folder; anything that prevents it, other than a damaged file, fails the logger's
    // creation, naming the folder.
    public static SqliteEventStore Open(string folder, DeadLetterFolder deadLetters) => new(folder, deadLetters);

    Database OpenDatabase()
    {
        try
        {
            return new Database(_file);
        }
        catch (SqliteException ex) when (IsDamaged(ex))
        {
            MoveAside(ex);
        }
        catch (SqliteException ex)
        {
            throw CannotOpen(ex);
        }

        try
        {
            return new Database(_file);
        }
        catch (SqliteException ex)
        {
            throw CannotOpen(ex);
        }
    }

    Exception CannotOpen(SqliteException ex) => ex.SqliteErrorCode switch
    {
        Full => new BufferUnavailableException("the disk is full", ex),
        InputOutputError => new BufferUnavailableException("the disk failed a read or a write (is it full?)", ex),
        _ => BufferLock.Unusable(Folder, "its store " + _file + " cannot be opened", ex),
    };

    static bool IsDamaged(Exception ex) => ex is SqliteException { SqliteErrorCode: Corrupt or NotADatabase };

    void MoveAside(SqliteException ex)
    {
        foreach (var part in new[] { _file, _file + "-wal", _file + "-shm" })
        {
            if (File.Exists(part) && !_deadLetters.TryMoveIn(part, "unreadable"))
                throw BufferLock.Unusable(Folder, "its store " + _file + " is damaged and could not be moved aside", ex);
        }
        SelfLog.WriteLine("LogTrace: the durable buffer's store {0} could not be read ({1}); it was moved to {2} and a new one started",
            _file, ex.Message, _deadLetters.Path);
    }

    public override bool FileExists => File.Exists(_file);

    public override long? TryRecover(Exception failure, long idsAbove)
    {
        if (!IsDamaged(failure))
            return null;
        lock (_lock)
        {
            ThrowIfDisposed();
            var lost = _database.Count;
            _database.Dispose();
            try
            {
                MoveAside((SqliteException)failure);
                _database = new Database(_file, idsAbove);
            }
            catch (Exception)
            {
                // Not even an empty store can be made here: every call fails from now on, and events go from memory.
                _database = Database.Unusable;
                throw;
            }
            return lost;
        }
    }

    public override void Append(IReadOnlyList<BufferRecord> records)
    {
        lock (_lock)
        {
            ThrowIfDisposed();
            _database.Append(records);
        }
    }

    public override IReadOnlyList<BufferRecord> ReadAfter(long afterId, int max)
    {
        lock (_lock)
        {
            ThrowIfDisposed();
            return _database.ReadAfter(afterId, max);
        }
    }

    public override void Delete(BufferRecord record)
    {
        lock (_lock)
        {
            ThrowIfDisposed();
            _database.Delete(record);
        }
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
            _database.Dispose();
        }
    }

    // One open events.db: its connection, prepared statements and the running totals. Not thread-safe: the store
    // serialises every call.
    sealed class Database : IDisposable
    {
        public static readonly Database Unusable = new();

        readonly SqliteConnection? _connection;
        readonly SqliteCommand? _insert;
        readonly SqliteCommand? _read;
        readonly SqliteCommand? _delete;

        Database()
        {
        }

        public Database(string file, long idsAbove = 0)
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
                _connection.Open();
                Execute("PRAGMA journal_mode=WAL;");
                Execute("PRAGMA synchronous=NORMAL;");
                Execute("CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, logged_at INTEGER NOT NULL, " +
                    "body BLOB NOT NULL, crc INTEGER NOT NULL);");
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
                    stats.CommandText = "SELECT COUNT(*), COALESCE(SUM(LENGTH(body) + LENGTH(name)), 0) FROM events;";
                    using var reader = stats.ExecuteReader();
                    reader.Read();
                    Count = reader.GetInt64(0);
                    Bytes = reader.GetInt64(1) + Count * BufferRecord.Overhead;
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
                // What the row counted for, from the row itself: a damaged record's body may have been read short.
                _delete.CommandText = "DELETE FROM events WHERE id = $id RETURNING LENGTH(body) + LENGTH(name);";
                _delete.Parameters.Add("$id", SqliteType.Integer);
            }
            catch
            {
                _connection.Dispose();
                throw;
            }
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
                    _insert.Parameters[3].Value = (long)Crc32.HashToUInt32(record.Body);
                    _insert.ExecuteNonQuery();
                    bytes += record.Size;
                }
                transaction.Commit();
            }
            _insert.Transaction = null;
            Count += records.Count;
            Bytes += bytes;
        }

        public IReadOnlyList<BufferRecord> ReadAfter(long afterId, int max)
        {
            _ = Connection;
            _read!.Parameters[0].Value = afterId;
            _read.Parameters[1].Value = max;
            var records = new List<BufferRecord>();
            using var reader = _read.ExecuteReader();
            while (reader.Read())
                records.Add(ReadRecord(reader));
            return records;
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

        public void Delete(BufferRecord record)
        {
            _ = Connection;
            _delete!.Parameters[0].Value = record.Id;
            if (_delete.ExecuteScalar() is long size)
            {
                Count--;
                Bytes -= size + BufferRecord.Overhead;
            }
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
            _delete?.Dispose();
            _connection?.Dispose();
        }
    }
}

// Found by name by the core package (EventStores) when bufferPath is set.
sealed class SqliteEventStoreFactory : EventStoreFactory
{
    public override EventStore Open(string folder, DeadLetterFolder deadLetters) => SqliteEventStore.Open(folder, deadLetters);
}
