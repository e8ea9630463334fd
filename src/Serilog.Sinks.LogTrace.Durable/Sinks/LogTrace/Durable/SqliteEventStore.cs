using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Hashing;
using System.Text;
using Microsoft.Data.Sqlite;
using Serilog.Sinks.LogTrace.Buffering;
using Serilog.Sinks.LogTrace.Accounting;

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
    readonly string _salvageFile;
    readonly SalvagePlacement _salvage;
    readonly DeadLetterFolder _deadLetters;
    readonly object _lock = new();
    SqliteDatabase _database;
    bool _disposed;

    SqliteEventStore(string folder, DeadLetterFolder deadLetters)
    {
        Folder = folder;
        _file = Path.Combine(folder, FileName);
        _salvageFile = Path.Combine(folder, StoreSalvage.FileName);
        _deadLetters = deadLetters;
        _salvage = new SalvagePlacement(folder, _file, _salvageFile, deadLetters);
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

    SqliteDatabase OpenDatabase()
    {
        // A run killed between moving a damaged store aside and putting its salvage in its place (SalvagePlacement).
        _salvage.TakeWhatAnEarlierRunLeft();
        // Twice at most: a damaged file is salvaged once, and what takes its place (the salvage, or a new file) must open.
        for (var salvaged = false; ; salvaged = true)
        {
            try
            {
                return new SqliteDatabase(_file);
            }
            catch (SqliteException ex) when (!salvaged && IsDamaged(ex))
            {
                var salvage = Salvage(ex);
                Salvaged = salvage.Salvaged;
                LostAtOpen = salvage.Lost < 0 ? 0 : salvage.Lost;
                LostAtOpenUncounted = salvage.Lost < 0;
            }
            catch (SqliteException ex)
            {
                throw CannotOpen(ex);
            }
            catch (NotSupportedException ex)
            {
                throw BufferLock.Unusable(Folder, "its store " + _file + " is of a later schema", ex);
            }
        }
    }

    // What a store that cannot be opened (other than damage) fails the logger's creation with.
    internal Exception CannotOpen(SqliteException ex) => ex.SqliteErrorCode switch
    {
        Full => new BufferUnavailableException("the disk is full", ex),
        InputOutputError => new BufferUnavailableException("the disk failed a read or a write (is it full?)", ex),
        _ => BufferLock.Unusable(Folder, "its store " + _file + " cannot be opened", ex),
    };

    static bool IsDamaged(Exception ex) => ex is SqliteException { SqliteErrorCode: Corrupt or NotADatabase };

    // A damaged store, found at open or while running: what still reads (less what a sender has) is copied out first
    // (StoreSalvage, numbered above idsAbove), then the damaged file goes to the dead-letter folder and the copy, if
    // any, takes its place.
    StoreSalvage.Result Salvage(SqliteException ex, long idsAbove = 0, Func<long, bool>? inFlight = null)
    {
        var salvage = StoreSalvage.Run(_file, _salvageFile, idsAbove, inFlight);
        foreach (var part in new[] { _file, _file + "-wal", _file + "-shm" })
            _salvage.MoveAside(part, "its store " + _file + " is damaged and could not be moved aside", ex);
        QuietSelfLog.WriteLine("{0}", string.Format(CultureInfo.InvariantCulture,
            "LogTrace: the durable buffer's store {0} was found damaged ({1}); {2} records were recovered from it and are delivered; {3}. " +
            "The damaged file was moved to {4}.", _file, ex.Message, salvage.Salvaged, StoreSalvage.Describe(salvage), _deadLetters.Path));
        if (salvage.Salvaged > 0)
            _salvage.Take();
        return salvage;
    }

    public override bool FileExists => File.Exists(_file);

    public override long? TryRecover(Exception failure, long idsAbove, Func<long, bool>? inFlight = null, long inFlightCount = 0)
    {
        if (!IsDamaged(failure))
            return null;
        lock (_lock)
        {
            ThrowIfDisposed();
            var lost = _database.Count;
            // Whose backlog it is goes on with the new store (BacklogOwner), whatever could be salvaged.
            var owner = new List<(string Name, string? Value)>();
            foreach (var name in new[] { BacklogOwner.EndpointName, BacklogOwner.KeyHashName, BacklogOwner.AcceptedName })
            {
                try
                {
                    owner.Add((name, _database.ReadMeta(name)));
                }
                catch (SqliteException)
                {
                }
            }
            _database.Dispose();
            try
            {
                var salvage = Salvage((SqliteException)failure, idsAbove, inFlight);
                // A salvaged copy's sequence is past idsAbove already.
                _database = salvage.Salvaged > 0 ? new SqliteDatabase(_file) : new SqliteDatabase(_file, idsAbove);
                foreach (var (name, value) in owner)
                {
                    if (value != null && _database.ReadMeta(name) == null)
                        _database.WriteMeta(name, value);
                }
                // The salvage's own figure when it could read the file; else what the file held, less what senders have.
                lost = salvage.Lost >= 0 ? salvage.Lost : Math.Max(0, lost - inFlightCount);
            }
            catch (Exception)
            {
                // Not even an empty store can be made here: every call fails from now on, and events go from memory.
                _database = SqliteDatabase.Unusable;
                throw;
            }
            return lost;
        }
    }

    public override string? ReadMeta(string name)
    {
        lock (_lock)
        {
            ThrowIfDisposed();
            return _database.ReadMeta(name);
        }
    }

    public override void WriteMeta(string name, string value)
    {
        lock (_lock)
        {
            ThrowIfDisposed();
            _database.WriteMeta(name, value);
        }
    }

    public override long[]? CountByKind()
    {
        lock (_lock)
            return _disposed ? null : _database.CountByKind();
    }

    public override DateTimeOffset? OldestLoggedAt()
    {
        lock (_lock)
            return _disposed ? null : _database.OldestLoggedAt();
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

    public override IReadOnlyList<BufferRecord> ReadAfter(long afterId, int max, int skipKinds)
    {
        if (skipKinds == 0)
            return ReadAfter(afterId, max);
        lock (_lock)
        {
            ThrowIfDisposed();
            return _database.ReadAfter(afterId, max, skipKinds);
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
}

// Found by name by the core package (EventStoreLocator) when bufferPath is set.
sealed class SqliteEventStoreFactory : EventStoreFactory
{
    public override EventStore Open(string folder, DeadLetterFolder deadLetters) => SqliteEventStore.Open(folder, deadLetters);
}
