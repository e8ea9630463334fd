using System;
using System.Collections.Generic;

namespace Serilog.Sinks.LogTrace.Buffering;

// The durable buffer's storage: records in the order they were appended, each read and removed by id. An
// implementation is thread-safe, and an append is atomic: after a crash the store holds whole records only.
// The storage engine lives in the Serilog.Sinks.LogTrace.Durable package (docs/durable-buffer.md says why).
abstract class EventStore : IDisposable
{
    // The folder the store's files are in.
    public abstract string Folder { get; }

    // The records held, and their size in the buffer's accounting (BufferRecord.Size).
    public abstract long Count { get; }

    public abstract long Bytes { get; }

    // Appends the records in one transaction, or none of them; throws when the storage fails (a full disk).
    public abstract void Append(IReadOnlyList<BufferRecord> records);

    // At most `max` records with an id above `afterId`, oldest first. A record that cannot be trusted comes back
    // marked Corrupt, with whatever bytes could be read.
    public abstract IReadOnlyList<BufferRecord> ReadAfter(long afterId, int max);

    // The same, leaving out the records of the kinds in `skipKinds` (bit 1 << (int)RecordKind: the routes the service
    // refuses now), so that a refused route's backlog is not read again at every recheck. Records marked Corrupt are
    // never left out. A store that cannot filter as it reads filters what it read, reading on until it has a record
    // to return or none are left.
    public virtual IReadOnlyList<BufferRecord> ReadAfter(long afterId, int max, int skipKinds)
    {
        if (skipKinds == 0)
            return ReadAfter(afterId, max);
        var kept = new List<BufferRecord>();
        while (true)
        {
            var read = ReadAfter(afterId, max);
            foreach (var record in read)
            {
                if (record.Corrupt || (skipKinds & (1 << (int)record.Kind)) == 0)
                    kept.Add(record);
            }
            if (kept.Count > 0 || read.Count < max)
                return kept;
            afterId = read[read.Count - 1].Id;
        }
    }

    // Removes a record that was delivered, or moved aside.
    public abstract void Delete(BufferRecord record);

    // After a read failed: when the failure means the store's file is damaged beyond single records, moves the file
    // aside and starts an empty store whose records are numbered above `idsAbove`, so that delivery goes on. Returns
    // how many records the file held, or null when the failure is not one it recovers from (the caller tries again).
    public virtual long? TryRecover(Exception failure, long idsAbove, Func<long, bool>? inFlight = null, long inFlightCount = 0) => null;

    // False once the store's file is gone from the folder (the folder deleted under the running process).
    public virtual bool FileExists => true;

    // A store found damaged at open: the records recovered from it, those that could not be, and whether the file
    // could not be read at all (then LostAtOpen is 0 and the loss cannot be counted).
    public long Salvaged { get; protected set; }

    public long LostAtOpen { get; protected set; }

    public bool LostAtOpenUncounted { get; protected set; }

    // Small values kept with the records (whose they are: DurablePipeline); null when not set, or not kept.
    public virtual string? ReadMeta(string name) => null;

    public virtual void WriteMeta(string name, string value)
    {
    }

    // How many records of each kind the store holds (index: RecordKind); null when it cannot say. May throw.
    public virtual long[]? CountByKind() => null;

    // When the oldest record in the store was logged (null when it is empty), for the status. May throw.
    public virtual DateTimeOffset? OldestLoggedAt() => null;

    public abstract void Dispose();
}

// Opens the store in a folder that the caller has created and locked for this process.
abstract class EventStoreFactory
{
    public abstract EventStore Open(string folder, DeadLetterFolder deadLetters);
}
