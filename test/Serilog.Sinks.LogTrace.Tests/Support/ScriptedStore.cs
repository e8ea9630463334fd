using Microsoft.Data.Sqlite;
using Serilog.Sinks.LogTrace.Buffering;
using Serilog.Sinks.LogTrace.Durable;

namespace Serilog.Sinks.LogTrace.Tests.Support;

// The real SQLite store, with failures the test scripts: the next reads fail with a given error (a damaged file, a
// lock), or every delete fails (a full disk for the WAL). Everything else is the store's own behaviour, recovery included.
sealed class ScriptedStore : EventStore
{
    readonly SqliteEventStore _inner;
    SqliteException? _readFailure;
    int _readFailures;

    public ScriptedStore(SqliteEventStore inner) => _inner = inner;

    public bool FailDeletes { get; set; }

    // While set, every append after the first FailAppendsAfter throws it (a disk that fills).
    public Exception? FailAppends { get; set; }

    public int FailAppendsAfter { get; set; }

    // The records every read has returned, in all.
    public long RecordsRead => Interlocked.Read(ref _recordsRead);
    long _recordsRead;

    // The next `times` reads throw `failure` (times -1: every read).
    public void FailReads(SqliteException failure, int times = 1)
    {
        _readFailure = failure;
        Volatile.Write(ref _readFailures, times);
    }

    public override string Folder => _inner.Folder;

    public override long Count => _inner.Count;

    // Added to the store's own figure: a store that is fuller than its rows (a backlog the test does not write).
    public long BytesOffset
    {
        get => Interlocked.Read(ref _bytesOffset);
        set => Interlocked.Exchange(ref _bytesOffset, value);
    }
    long _bytesOffset;

    public override long Bytes => _inner.Bytes + BytesOffset;

    // How many appends (transactions) the store was asked for.
    public int Appends => Volatile.Read(ref _appends);
    int _appends;

    public override bool FileExists => _inner.FileExists;

    public override DateTimeOffset? OldestLoggedAt() => _inner.OldestLoggedAt();

    // While set, every append waits (a disk that has stalled) until ReleaseAppends.
    readonly ManualResetEventSlim _appendsOpen = new(true);
    int _appendsWaiting;

    public int AppendsWaiting => Volatile.Read(ref _appendsWaiting);

    public void BlockAppends() => _appendsOpen.Reset();

    public void ReleaseAppends() => _appendsOpen.Set();

    // The most records one append (transaction) was given.
    public int LargestAppend => Volatile.Read(ref _largestAppend);
    int _largestAppend;

    public override void Append(IReadOnlyList<BufferRecord> records)
    {
        var number = Interlocked.Increment(ref _appends);
        for (var largest = _largestAppend; records.Count > largest; largest = _largestAppend)
            Interlocked.CompareExchange(ref _largestAppend, records.Count, largest);
        Interlocked.Increment(ref _appendsWaiting);
        _appendsOpen.Wait(TimeSpan.FromSeconds(30));
        Interlocked.Decrement(ref _appendsWaiting);
        if (FailAppends is { } failure && number > FailAppendsAfter)
            throw failure;
        _inner.Append(records);
    }

    public override IReadOnlyList<BufferRecord> ReadAfter(long afterId, int max)
    {
        var remaining = Volatile.Read(ref _readFailures);
        if (remaining < 0 || (remaining > 0 && Interlocked.Decrement(ref _readFailures) >= 0))
            throw _readFailure!;
        return Counted(_inner.ReadAfter(afterId, max));
    }

    public override IReadOnlyList<BufferRecord> ReadAfter(long afterId, int max, int skipKinds)
    {
        var remaining = Volatile.Read(ref _readFailures);
        if (remaining < 0 || (remaining > 0 && Interlocked.Decrement(ref _readFailures) >= 0))
            throw _readFailure!;
        return Counted(_inner.ReadAfter(afterId, max, skipKinds));
    }

    IReadOnlyList<BufferRecord> Counted(IReadOnlyList<BufferRecord> records)
    {
        Interlocked.Add(ref _recordsRead, records.Count);
        return records;
    }

    public override void Delete(BufferRecord record)
    {
        if (FailDeletes)
            throw new SqliteException("database or disk is full", 13);
        _inner.Delete(record);
    }

    public override long? TryRecover(Exception failure, long idsAbove, Func<long, bool>? inFlight = null, long inFlightCount = 0) =>
        _inner.TryRecover(failure, idsAbove, inFlight, inFlightCount);

    public override void Dispose() => _inner.Dispose();
}

// Opens scripted stores; the last one opened is the pipeline's.
sealed class ScriptedStores : EventStoreFactory
{
    readonly Action<ScriptedStore>? _script;

    public ScriptedStores(Action<ScriptedStore>? script = null) => _script = script;

    public ScriptedStore? Last { get; private set; }

    public override EventStore Open(string folder, DeadLetterFolder deadLetters)
    {
        var store = new ScriptedStore(SqliteEventStore.Open(folder, deadLetters));
        _script?.Invoke(store);
        return Last = store;
    }
}
