using Microsoft.Extensions.Time.Testing;
using Serilog.Sinks.LogTrace.Buffering;
using Serilog.Sinks.LogTrace.Durable;
using Serilog.Sinks.LogTrace.Http;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Durable;

// A buffer folder another process holds (an overlapping restart) is delivered from memory meanwhile, and taken over,
// with what memory holds, once the other process has gone (HeldBufferOutbox). The "other process" here is a lock taken
// in this process: the operating system refuses a second exclusive handle the same way.
[Collection(SelfLogCollection.Name)]
public class HeldBufferTakeoverTests
{
    const string OtherEndpoint = "https://tenant-b.example/v1/developers";

    static Task AdvanceToNextTryAsync(BufferHarness harness, Func<bool> condition, string what) =>
        harness.Time.AdvanceUntilAsync(condition, what, TimeSpan.FromSeconds(1));

    static List<BufferRecord> StoredRecords(string folder)
    {
        using var store = SqliteEventStore.Open(folder, new DeadLetterFolder(folder, 1 << 20, new FakeTimeProvider()));
        return store.ReadAfter(0, int.MaxValue).ToList();
    }

    [Fact]
    public async Task TheRecordsWaitingInMemoryMoveIntoTheBufferOnceTheOtherProcessHasGone()
    {
        using var folder = new TempFolder();
        var other = BufferLock.TryAcquire(folder.Path);
        Assert.NotNull(other);
        using var selfLog = new SelfLogCollector();
        await using (var harness = new BufferHarness(folder.Path, CollectingLogTraceApi.Stalled(), o =>
                     {
                         o.MaxConcurrentRequests = 1;
                         o.ShutdownTimeout = TimeSpan.FromSeconds(1);
                     }))
        {
            Assert.Contains(selfLog.Lines, l => l.Contains("is in use by another process") && l.Contains("takes the buffer over once the other process has gone"));
            harness.Log(0, 1, name: "meanwhile");
            await Eventually.TrueAsync(() => harness.Api.InFlight == 1, "the first record is in flight");
            // Logged later (the store keeps milliseconds): the record in flight stays the oldest.
            await Task.Delay(20);
            harness.Log(1, 19, name: "meanwhile");
            await Eventually.TrueAsync(() => harness.Api.InFlight == 1 && harness.Counters.Queued == 20, "one record is in flight, 19 wait in memory");

            // Still held: every try fails, and the status says so.
            await harness.Time.AdvanceUntilAsync(() => harness.Time.GetUtcNow() > harness.Time.Start + TimeSpan.FromSeconds(40), "two tries pass",
                TimeSpan.FromSeconds(5));
            var held = harness.Target.Status(false);
            Assert.Null(held.Buffered);
            Assert.Contains("in use by another process", held.BufferUnavailable);
            Assert.Contains("tries again every 15 s", held.BufferUnavailable);

            other.Dispose();
            await AdvanceToNextTryAsync(harness, () => harness.Target.Status(false).BufferUnavailable == null, "the buffer is taken over");
            var taken = harness.Target.Status(false);
            Assert.Equal(19, taken.Buffered);
            Assert.Equal(folder.Path, taken.BufferPath);
            Assert.Contains(selfLog.Lines, l => l.Contains("took it over, with 19 events it held in memory meanwhile"));
            Assert.DoesNotContain(selfLog.Lines, l => l.Contains("from an earlier run"));
            // The record in flight from memory was logged before those carried to disk: it is the oldest.
            var onDisk = taken.TakenAt - ((HeldBufferOutbox)harness.Target.Outbox).Durable!.Store.OldestLoggedAt()!.Value;
            Assert.True(taken.OldestUndeliveredAge > onDisk, "the record in flight is older than the buffer's oldest");

            harness.Log(100, 5, name: "after");
            // The writer appends, then releases the records from the queue's count: both are awaited.
            await harness.Time.AdvanceUntilAsync(() => harness.Target.Status(false).Buffered == 24 && harness.Counters.Queued == 1,
                "what is logged now is buffered, and only the record in flight stays in memory", TimeSpan.FromMilliseconds(100));
        }

        var stored = StoredRecords(folder.Path);
        Assert.Equal(19, stored.Count(r => r.Name == "meanwhile"));
        Assert.Equal(5, stored.Count(r => r.Name == "after"));
        Assert.All(stored, r => Assert.False(r.Corrupt));
        // The carried records come first, in the order they were logged, with the bodies they would have been sent with.
        var numbers = stored.Select(r => System.Text.Json.JsonDocument.Parse(r.Body).RootElement.GetProperty("metadata").GetProperty("Number").GetInt32()).ToList();
        Assert.Equal(Enumerable.Range(1, 19).Concat(Enumerable.Range(100, 5)), numbers);
    }

    [Fact]
    public async Task EveryRecordIsDeliveredOnceAcrossTheTakeover()
    {
        using var folder = new TempFolder();
        var other = BufferLock.TryAcquire(folder.Path)!;
        using var selfLog = new SelfLogCollector();
        var api = new CollectingLogTraceApi();
        await using var harness = new BufferHarness(folder.Path, api);
        harness.Log(0, 3, name: "before");
        await Eventually.TrueAsync(() => api.Bodies.Count == 3, "the records are delivered from memory while the folder is held");

        other.Dispose();
        await AdvanceToNextTryAsync(harness, () => harness.Target.Status(false).BufferUnavailable == null, "the buffer is taken over");
        Assert.Contains(selfLog.Lines, l => l.Contains("took it over, with 0 records"));
        harness.Log(3, 3, name: "after");
        await harness.Time.AdvanceUntilAsync(() => api.Bodies.Count == 6 && harness.Target.Status(false).Buffered == 0, "the later records go through the buffer",
            TimeSpan.FromMilliseconds(100));

        Assert.Equal(6, api.EventIds.Distinct().Count());
        Assert.Equal(6, harness.Counters.Sent);
        Assert.Equal(0, harness.Counters.Lost);
        Assert.True(System.IO.File.Exists(Path.Combine(folder.Path, "events.db")));
    }

    [Fact]
    public async Task WhatTheBufferCannotHoldStaysInMemoryAndIsSent()
    {
        using var folder = new TempFolder();
        var other = BufferLock.TryAcquire(folder.Path)!;
        using var selfLog = new SelfLogCollector();
        var open = new TaskCompletionSource();
        var api = new CollectingLogTraceApi(async (_, cancellationToken) =>
        {
            await open.Task.WaitAsync(cancellationToken);
            return new LogTraceResponse(202, null);
        });
        await using var harness = new BufferHarness(folder.Path, api, o =>
        {
            o.MaxConcurrentRequests = 1;
            o.BufferSizeLimitBytes = 1024 * 1024;
        });
        // About 16 KiB each (maxStringLength): 99 waiting records are about 1.6 MiB, more than the buffer's bound.
        harness.Log(0, 100, name: "meanwhile", extra: new string('x', 20_000));
        await Eventually.TrueAsync(() => api.InFlight == 1 && harness.Counters.Queued == 100, "one record is in flight, 99 wait in memory");

        other.Dispose();
        await AdvanceToNextTryAsync(harness, () => harness.Target.Status(false).BufferUnavailable == null, "the buffer is taken over");
        var carried = harness.Target.Status(false).Buffered!.Value;
        Assert.InRange(carried, 30, 90);
        Assert.Contains(selfLog.Lines, l => l.Contains("took it over, with " + carried + " events"));

        open.SetResult();
        await harness.Time.AdvanceUntilAsync(() => harness.Counters.Sent == 100, "every record is delivered, from memory or from the buffer",
            TimeSpan.FromMilliseconds(100));
        Assert.Equal(0, harness.Counters.Lost);
        Assert.Equal(100, api.EventIds.Distinct().Count());
    }

    [Fact]
    public async Task AFreedFolderWithAnotherEndpointsBacklogIsNotTakenOver()
    {
        using var folder = new TempFolder();
        await using (var owner = new BufferHarness(folder.Path, new CollectingLogTraceApi(), o => o.Endpoint = OtherEndpoint))
        {
            owner.Log(0, 1, name: "accepted");
            await owner.Time.AdvanceUntilAsync(() => owner.Counters.Sent == 1 && owner.Sink.Store.Count == 0, "the other endpoint accepts a record",
                TimeSpan.FromMilliseconds(50));
        }
        await using (var owner = new BufferHarness(folder.Path, new CollectingLogTraceApi(_ => Task.FromResult(new LogTraceResponse(503, "down"))),
                         o => o.Endpoint = OtherEndpoint))
        {
            owner.Log(0, 2, name: "theirs");
            await owner.Time.AdvanceUntilAsync(() => owner.Sink.Store.Count == 2, "two records are buffered for the other endpoint",
                TimeSpan.FromMilliseconds(50));
        }

        var other = BufferLock.TryAcquire(folder.Path)!;
        using var selfLog = new SelfLogCollector();
        var api = new CollectingLogTraceApi();
        await using var harness = new BufferHarness(folder.Path, api);
        other.Dispose();
        await AdvanceToNextTryAsync(harness, () => selfLog.Lines.Any(l => l.Contains("is free now, but is not used")), "the freed folder is looked at");

        var status = harness.Target.Status(false);
        Assert.Null(status.Buffered);
        Assert.Contains("holds 2 records logged for another endpoint", status.BufferUnavailable);
        var line = Assert.Single(selfLog.Lines, l => l.Contains("is free now, but is not used"));
        Assert.EndsWith("LogTrace: the durable buffer at " + folder.Path + " is free now, but is not used: " + status.BufferUnavailable +
            ". This logger goes on delivering from memory; give it its own bufferPath.", line);
        // Not a lock that comes free: not tried again.
        var start = harness.Time.GetUtcNow();
        await harness.Time.AdvanceUntilAsync(() => harness.Time.GetUtcNow() > start + TimeSpan.FromMinutes(1), "a minute passes", TimeSpan.FromSeconds(1));
        Assert.Single(selfLog.Lines, l => l.Contains("is free now, but is not used"));
        harness.Log(0, 2, name: "mine");
        await Eventually.TrueAsync(() => api.Bodies.Count == 2, "this logger goes on delivering from memory");
        Assert.Equal(2, StoredRecords(folder.Path).Count(r => r.Name == "theirs"));
    }

    [Fact]
    public async Task AShutdownEndsTheTriesAndLosesNothing()
    {
        using var folder = new TempFolder();
        using var other = BufferLock.TryAcquire(folder.Path)!;
        using var selfLog = new SelfLogCollector();
        var api = new CollectingLogTraceApi();
        var harness = new BufferHarness(folder.Path, api);
        harness.Log(0, 4);
        await harness.DisposeAsync();

        Assert.Equal(4, api.Bodies.Count);
        Assert.Equal(4, harness.Counters.Sent);
        Assert.True(api.Disposed);
        Assert.DoesNotContain(selfLog.Lines, l => l.Contains("took it over"));
    }
}
