using Serilog.Sinks.LogTrace.Buffering;
using Serilog.Sinks.LogTrace.Durable;
using Serilog.Sinks.LogTrace.Http;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Durable;

// What goes wrong while a held buffer is retried (HeldBufferOutbox): a folder that cannot be locked or a store that
// cannot be opened now is said once and tried again; a store that cannot be opened at all ends the tries; memory
// delivers throughout.
[Collection(SelfLogCollection.Name)]
public class HeldBufferFailureTests
{
    // Opens the real store once `failures` is used up; until then each open throws what `failure` makes.
    sealed class FailingStores(Func<Exception> failure, int failures) : EventStoreFactory
    {
        int _opens;

        public int Opens => Volatile.Read(ref _opens);

        // The dead-letter folder the last open was given.
        public DeadLetterFolder? DeadLetters { get; private set; }

        public override EventStore Open(string folder, DeadLetterFolder deadLetters)
        {
            DeadLetters = deadLetters;
            return Interlocked.Increment(ref _opens) <= failures ? throw failure() : SqliteEventStore.Open(folder, deadLetters);
        }
    }

    static Task NextTriesAsync(BufferHarness harness, Func<bool> condition, string what) =>
        harness.Time.AdvanceUntilAsync(condition, what, TimeSpan.FromSeconds(1));

    static bool TakenOver(BufferHarness harness) => harness.Target.Status(false).BufferUnavailable == null;

    [Fact]
    public async Task AFolderThatCannotBeLockedIsSaidOnceAndTriedAgain()
    {
        using var temp = new TempFolder();
        var folder = temp.Combine("buffer");
        var other = BufferLock.TryAcquire(folder)!;
        using var selfLog = new SelfLogCollector();
        var api = new CollectingLogTraceApi();
        await using var harness = new BufferHarness(folder, api);

        // The other process goes, and its folder is replaced by a file: the lock cannot be taken.
        other.Dispose();
        Directory.Delete(folder, recursive: true);
        System.IO.File.WriteAllText(folder, "not a folder");
        var start = harness.Time.GetUtcNow();
        await NextTriesAsync(harness, () => harness.Time.GetUtcNow() > start + TimeSpan.FromSeconds(50), "three tries fail");
        var line = Assert.Single(selfLog.Lines, l => l.Contains("could not be taken over"));
        Assert.Contains("the durable buffer at " + folder + " could not be taken over (The LogTrace bufferPath '" + folder + "' cannot be used", line);
        Assert.Contains("this logger delivers from memory and tries again", line);
        Assert.Contains("in use by another process", harness.Target.Status(false).BufferUnavailable);
        harness.Log(0, 1);
        await Eventually.TrueAsync(() => api.Bodies.Count == 1, "memory delivers meanwhile");

        System.IO.File.Delete(folder);
        await NextTriesAsync(harness, () => TakenOver(harness), "the buffer is taken over once the folder can be made");
        Assert.Equal(0, harness.Target.Status(false).Buffered);
    }

    [Fact]
    public async Task AStoreThatCannotBeOpenedNowIsTriedAgain()
    {
        using var folder = new TempFolder();
        var other = BufferLock.TryAcquire(folder.Path)!;
        using var selfLog = new SelfLogCollector();
        var stores = new FailingStores(() => new BufferUnavailableException("the disk is full", new IOException("No space left on device")), failures: 2);
        await using var harness = new BufferHarness(folder.Path, new CollectingLogTraceApi(), stores: stores);

        other.Dispose();
        await NextTriesAsync(harness, () => TakenOver(harness), "the buffer is taken over once the store opens");
        Assert.Equal(3, stores.Opens);
        Assert.Single(selfLog.Lines, l => l.Contains("could not be taken over (the disk is full)"));
        // The lock was let go after each failed open: the takeover could take it again.
        Assert.Contains(selfLog.Lines, l => l.Contains("took it over"));
    }

    // A folder that stays unusable is tried once per RetryInterval, not in a loop.
    [Fact]
    public async Task AFolderThatStaysUnusableIsTriedOncePerInterval()
    {
        using var folder = new TempFolder();
        var other = BufferLock.TryAcquire(folder.Path)!;
        using var selfLog = new SelfLogCollector();
        var stores = new FailingStores(() => new BufferUnavailableException("the disk is full", new IOException("No space left on device")), failures: int.MaxValue);
        await using var harness = new BufferHarness(folder.Path, new CollectingLogTraceApi(), stores: stores);
        other.Dispose();

        await NextTriesAsync(harness, () => stores.Opens >= 4, "four tries fail");
        Assert.True(harness.Time.GetUtcNow() - harness.Time.Start >= 4 * HeldBufferOutbox.RetryInterval,
            "four tries took " + (harness.Time.GetUtcNow() - harness.Time.Start) + " on the fake clock");
        Assert.Single(selfLog.Lines, l => l.Contains("could not be taken over (the disk is full)"));
        Assert.Contains("in use by another process", harness.Target.Status(false).BufferUnavailable);
    }

    // The dead letters of a buffer taken over are capped as at an ordinary start: a tenth of bufferSizeLimitBytes.
    [Fact]
    public async Task TheTakenOverBuffersDeadLettersAreCappedAtATenthOfItsLimit()
    {
        using var folder = new TempFolder();
        var other = BufferLock.TryAcquire(folder.Path)!;
        using var selfLog = new SelfLogCollector();
        var stores = new FailingStores(() => new InvalidOperationException("not used"), failures: 0);
        await using var harness = new BufferHarness(folder.Path, new CollectingLogTraceApi(), o => o.BufferSizeLimitBytes = 20 * 1024 * 1024, stores);

        other.Dispose();
        await NextTriesAsync(harness, () => TakenOver(harness), "the buffer is taken over");
        Assert.Equal(2 * 1024 * 1024, stores.DeadLetters!.LimitBytes);
    }

    [Fact]
    public async Task AStoreThatFailsToOpenEndsTheTriesAndMemoryGoesOn()
    {
        using var folder = new TempFolder();
        var other = BufferLock.TryAcquire(folder.Path)!;
        using var selfLog = new SelfLogCollector();
        var stores = new FailingStores(() => new InvalidOperationException("boom"), failures: int.MaxValue);
        var api = new CollectingLogTraceApi();
        await using var harness = new BufferHarness(folder.Path, api, stores: stores);

        other.Dispose();
        await NextTriesAsync(harness, () => stores.Opens == 1 && harness.Target.Status(false).BufferUnavailable!.Contains("boom"), "the open fails");
        Assert.Equal("it could not be opened when the other process had gone (InvalidOperationException: boom)", harness.Target.Status(false).BufferUnavailable);
        Assert.Contains(selfLog.Lines, l => l.Contains("the durable buffer at " + folder.Path + " is free now, but it could not be opened when the other " +
            "process had gone (InvalidOperationException: boom); this logger goes on delivering from memory"));
        var start = harness.Time.GetUtcNow();
        await NextTriesAsync(harness, () => harness.Time.GetUtcNow() > start + TimeSpan.FromMinutes(1), "a minute passes");
        Assert.Equal(1, stores.Opens);

        harness.Log(0, 2);
        await Eventually.TrueAsync(() => api.Bodies.Count == 2, "memory goes on delivering");
        // The lock was let go: another process may take the folder.
        using var next = BufferLock.TryAcquire(folder.Path);
        Assert.NotNull(next);
    }

    [Fact]
    public async Task TheOldestUndeliveredRecordIsTheOlderOfMemorysAndTheBuffers()
    {
        using var folder = new TempFolder();
        // An earlier run leaves two records on disk.
        await using (var earlier = new BufferHarness(folder.Path, new CollectingLogTraceApi(_ => Task.FromResult(new LogTraceResponse(503, "down"))),
                         o => o.ShutdownTimeout = TimeSpan.FromSeconds(1)))
        {
            earlier.Log(0, 2, name: "old");
            await earlier.Time.AdvanceUntilAsync(() => earlier.Sink.Store.Count == 2, "two records are buffered", TimeSpan.FromMilliseconds(50));
        }
        await Task.Delay(20);
        var other = BufferLock.TryAcquire(folder.Path)!;
        await using var harness = new BufferHarness(folder.Path, CollectingLogTraceApi.Stalled(), o => o.MaxConcurrentRequests = 1);
        harness.Log(10, 1, name: "new");
        await Eventually.TrueAsync(() => harness.Api.InFlight == 1, "the new record is in flight from memory");
        var memoryOnly = harness.Target.Status(false).OldestUndeliveredAge!.Value;

        other.Dispose();
        await NextTriesAsync(harness, () => TakenOver(harness), "the buffer is taken over");
        var outbox = (HeldBufferOutbox)harness.Target.Outbox;
        var status = harness.Target.Status(false);
        var onDisk = status.TakenAt - outbox.Durable!.Store.OldestLoggedAt()!.Value;
        Assert.Equal(onDisk, status.OldestUndeliveredAge);
        Assert.True(onDisk > memoryOnly + (status.TakenAt - harness.Time.Start) - TimeSpan.FromMilliseconds(1),
            "the earlier run's record is older than the one in flight");
    }
}
