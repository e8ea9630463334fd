using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Http;
using Serilog.Sinks.LogTrace.Pipeline;
using Serilog.Sinks.LogTrace.Records;
using Serilog.Sinks.LogTrace.Sending;

namespace Serilog.Sinks.LogTrace.Buffering;

// The outbox of a sink whose buffer folder another process holds (an overlapping restart: the new process starts
// before the old one has exited). It delivers from memory (MemoryOutbox) and tries the folder's lock every
// RetryInterval. Once the lock is free it opens the store and takes the queue over: the formatting loop in memory
// stops, the records formatted and waiting for a sender move into the store (as far as bufferSizeLimitBytes allows),
// and the durable outbox drains the queue from then on, after the earlier run's backlog. Records a sender holds (in
// flight, or waiting to be retried) finish in memory. The status shows the folder as unavailable until then.
//
// It stops trying when the shutdown begins, and when the free folder turns out to hold another endpoint's backlog
// (BacklogOwner): that is not a lock that will come free.
sealed class HeldBufferOutbox : Outbox
{
    internal static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(15);

    readonly SinkParts _parts;
    readonly LogTraceApi _api;
    readonly LogTraceEventFormatter _formatter;
    readonly string _folder;
    readonly EventStoreFactory _stores;
    readonly CancellationTokenSource _handOver = new();
    readonly MemoryOutbox _memory;
    readonly Task _completion;
    // What drains the queue after the hand-over: the durable outbox, or (should it fail to start) memory again.
    volatile Outbox? _after;
    volatile string? _unavailable;
    string? _lastTryFailure;

    public HeldBufferOutbox(SinkParts parts, LogTraceApi api, LogTraceEventFormatter formatter, string folder, EventStoreFactory stores)
    {
        _parts = parts;
        _api = api;
        _formatter = formatter;
        _folder = folder;
        _stores = stores;
        _unavailable = "the folder is in use by another process; this logger tries again every " +
            RetryInterval.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s to take it over";
        _memory = new MemoryOutbox(parts, api, formatter, _handOver.Token, ownsApi: false);
        using (ExecutionContext.IsFlowSuppressed() ? null : (IDisposable)ExecutionContext.SuppressFlow())
            _completion = Task.Run(RunAsync);
    }

    // The durable outbox once the buffer is taken over; null until then.
    internal DurableOutbox? Durable => _after as DurableOutbox;

    public override Task Completion => _completion;

    public override string? BufferUnavailable => _unavailable;

    public override long? Buffered => _after?.Buffered;

    public override DateTimeOffset? OldestUndelivered()
    {
        return SinkStatus.Earlier(_memory.OldestUndelivered(), _after?.OldestUndelivered());
    }

    async Task RunAsync()
    {
        try
        {
            await TakeOverWhenFreeAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The memory outbox goes on delivering: this only ends the retries.
            QuietSelfLog.WriteLine("LogTrace: an unexpected error while trying to take the durable buffer at {0} over: {1}", _folder, ex);
        }
        await _memory.Completion.ConfigureAwait(false);
        if (_after is { } after)
            await after.Completion.ConfigureAwait(false);
    }

    async Task TakeOverWhenFreeAsync()
    {
        var shutdown = _parts.Shutdown;
        while (true)
        {
            try
            {
                await Clock.Delay(_parts.Time, RetryInterval, shutdown.Stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (shutdown.HasBegun || await TryTakeOverAsync().ConfigureAwait(false))
                return;
        }
    }

    // True when the retries are over: the buffer is taken over, or it will not be.
    async Task<bool> TryTakeOverAsync()
    {
        BufferLock? bufferLock;
        try
        {
            // Said at start (DurablePipeline): not again every RetryInterval.
            bufferLock = BufferLock.TryAcquire(_folder, warnIfOpen: false);
        }
        catch (Exception ex) when (ex is BufferUnavailableException or ArgumentException)
        {
            NoteFailedTry(ex.Message);
            return false;
        }
        if (bufferLock == null)
            return false;

        EventStore? store = null;
        try
        {
            var options = _parts.Settings.Options;
            var deadLetters = new DeadLetterFolder(_folder, options.BufferSizeLimitBytes / 10, _parts.Time);
            store = _stores.Open(_folder, deadLetters);
            if (Serilog.Sinks.LogTrace.Durable.BacklogOwner.Claim(store, _parts.Settings) is { } held)
            {
                Release(store, bufferLock);
                _unavailable = held;
                QuietSelfLog.WriteLine("LogTrace: the durable buffer at {0} is free now, but is not used: {1}. This logger goes on delivering from memory; " +
                    "give it its own bufferPath.", _folder, held);
                return true;
            }
            if (_parts.Shutdown.HasBegun)
            {
                Release(store, bufferLock);
                return true;
            }

            _handOver.Cancel();
            try
            {
                var carried = new long[RecordKinds.Count];
                var openStore = store;
                await _memory.HandOverAsync(waiting => Carry(openStore, waiting, carried)).ConfigureAwait(false);
                try
                {
                    _after = new DurableOutbox(_parts, _api, _formatter, store, bufferLock, deadLetters, carried);
                }
                catch (Exception ex)
                {
                    // What was carried stays on disk for the next start; the queue is drained from memory again.
                    _after = new MemoryOutbox(_parts, _api, _formatter, ownsApi: false);
                    Release(store, bufferLock);
                    _unavailable = "it could not be started (" + ex.GetType().Name + ": " + ex.Message + ")";
                    QuietSelfLog.WriteLine("LogTrace: the durable buffer at {0} is free now, but {1}; this logger goes on delivering from memory{2}", _folder, _unavailable,
                        carried.Sum() == 0 ? "" : "; the " + RecordCounts.Describe(carried.Sum(), carried) + " it had moved there stay there, not lost: " +
                            "the next start with this bufferPath delivers them");
                    return true;
                }
                _unavailable = null;
                QuietSelfLog.WriteLine("{0}", string.Format(CultureInfo.InvariantCulture,
                    "LogTrace: the durable buffer at {0} is free now: this logger took it over, with {1} it held in memory meanwhile; " +
                    "what it logs from now on is buffered there", _folder, RecordCounts.Describe(carried.Sum(), carried)));
                return true;
            }
            finally
            {
                // Memory has stopped taking from the queue: whatever happened, something drains it.
                _after ??= new MemoryOutbox(_parts, _api, _formatter, ownsApi: false);
            }
        }
        catch (BufferUnavailableException ex)
        {
            Release(store, bufferLock);
            NoteFailedTry(ex.Message);
            return false;
        }
        catch (Exception ex)
        {
            // A store that cannot be opened (it is salvaged at open, so this is rare): memory it stays.
            Release(store, bufferLock);
            _unavailable = "it could not be opened when the other process had gone (" + ex.GetType().Name + ": " + ex.Message + ")";
            QuietSelfLog.WriteLine("LogTrace: the durable buffer at {0} is free now, but {1}; this logger goes on delivering from memory", _folder, _unavailable);
            return true;
        }
    }

    // The records formatted in memory, appended to the store in one transaction as far as its bound allows, counted by
    // kind in `carried`; returns those left to the senders. Throws when the store cannot take them (then all stay).
    IReadOnlyList<FormattedRecord> Carry(EventStore store, List<FormattedRecord> waiting, long[] carried)
    {
        var limit = _parts.Settings.Options.BufferSizeLimitBytes;
        var held = store.Bytes;
        var records = new List<BufferRecord>(waiting.Count);
        var taken = new List<FormattedRecord>(waiting.Count);
        var left = new List<FormattedRecord>();
        foreach (var record in waiting)
        {
            var stored = new BufferRecord(0, record.Name, record.LoggedAt, record.Body.Bytes.ToArray(), kind: record.Kind);
            if (held + stored.Size > limit)
            {
                left.Add(record);
                continue;
            }
            held += stored.Size;
            records.Add(stored);
            taken.Add(record);
        }
        if (records.Count > 0)
            store.Append(records);
        foreach (var record in taken)
        {
            _parts.Ledger.Buffered(record);
            record.Body.Release();
            carried[(int)record.Kind]++;
        }
        return left;
    }

    // A folder that cannot be locked or opened now (a full disk, a permission): said once per reason, tried again.
    void NoteFailedTry(string why)
    {
        if (string.Equals(Interlocked.Exchange(ref _lastTryFailure, why), why, StringComparison.Ordinal))
            return;
        QuietSelfLog.WriteLine("LogTrace: the durable buffer at {0} could not be taken over ({1}); this logger delivers from memory and tries again", _folder, why);
    }

    // A store that fails to close is let go (this is a failure path already); the lock is released whatever happens.
    static void Release(EventStore? store, BufferLock bufferLock)
    {
        try
        {
            store?.Dispose();
        }
        catch (Exception)
        {
        }
        finally
        {
            bufferLock.Dispose();
        }
    }

    // The unfinished records are said once: by the memory outbox while its senders run, else by the durable one.
    public override void OnAbandoned(long unfinished)
    {
        // A memory outbox whose senders have all finished has nothing in flight (its line would count the queue's).
        var memory = !_memory.Completion.IsCompleted;
        if (memory)
            _memory.OnAbandoned(unfinished);
        _after?.OnAbandoned(memory ? 0 : unfinished);
    }

    // The memory outbox's summary, then the durable one's (which disposes the API); the API otherwise. The hand-over's
    // token source is not disposed: an abandoned retry may still read it.
    public override void Close()
    {
        try
        {
            // A memory outbox after the hand-over says the same shutdown summary (the counters are the sink's): once.
            if (_after is not MemoryOutbox)
                _memory.Close();
        }
        finally
        {
            if (_after is DurableOutbox durable)
            {
                durable.Close();
            }
            else
            {
                _after?.Close();
                _api.Dispose();
            }
        }
    }
}
