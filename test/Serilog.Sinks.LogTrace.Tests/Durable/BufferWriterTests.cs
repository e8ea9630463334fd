using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Buffering;
using Serilog.Sinks.LogTrace.Http;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Durable;

// The durable outbox's writer, line by line of what it says and counts: a write failure reported once per interval
// and by kind, with each record sent from memory once; the size limit at its exact edge and the figure its refusal
// gives; a trickle written within the write interval whatever the period; what shutdown leaves unwritten; the
// folder removed under the process, and the lock taken again (or not) and let go.
[Collection(SelfLogCollection.Name)]
public class BufferWriterTests
{
    static void LogAuditLog(BufferHarness harness, int n) =>
        harness.Logger.ForContext(LogTraceProperties.AuditLogName, "invoice.deleted").ForContext(LogTraceProperties.UserId, "u1")
            .Information("Invoice {Number} deleted", n);

    static CollectingLogTraceApi Down() => new(_ => Task.FromResult(new LogTraceResponse(503, "down")));

    [Fact]
    public async Task AWriteFailureIsSaidOncePerIntervalByKind_AndEachRecordIsSentFromMemoryOnce()
    {
        using var folder = new TempFolder();
        using var selfLog = new SelfLogCollector();
        var api = new CollectingLogTraceApi();
        var stores = new ScriptedStores(s => s.FailAppends = new IOException("No space left on device"));
        await using (var harness = new BufferHarness(folder.Path, api, stores: stores))
        {
            harness.Log(0, 1);
            await Eventually.TrueAsync(() => harness.Counters.Sent == 1, "the first event is sent from memory");
            harness.Log(1, 2);
            LogAuditLog(harness, 3);
            await Eventually.TrueAsync(() => harness.Counters.Sent == 4, "the next three are sent from memory");

            Assert.Equal(0, harness.Counters.Lost);
            Assert.Equal(0, harness.Counters.Queued);
            Assert.Equal(0, harness.Counters.QueuedBytes);
            Assert.Equal(0, stores.Last!.Count);
        }

        // The clock did not move: the second failure falls in the first one's interval, and is not said again.
        var report = Assert.Single(selfLog.Lines, l => l.Contains("could not write"));
        Assert.EndsWith("LogTrace: could not write 1 event to the durable buffer at " + folder.Path + " (IOException: No space left on device); " +
            "they are sent from memory instead, without the buffer's protection, until writing works again (is the disk full?)", report.TrimEnd());
        Assert.DoesNotContain(selfLog.Lines, l => l.Contains("unexpected error"));
        Assert.Equal(4, api.Requests.Count);
    }

    [Fact]
    public async Task AWriteFailureNamesEachKindItHeld()
    {
        using var folder = new TempFolder();
        using var selfLog = new SelfLogCollector();
        var stores = new ScriptedStores(s =>
        {
            s.BlockAppends();
            s.FailAppends = new IOException("No space left on device");
            s.FailAppendsAfter = 1;
        });
        await using (var harness = new BufferHarness(folder.Path, new CollectingLogTraceApi(), stores: stores))
        {
            // The first append waits (and then works); meanwhile two events and an audit log queue up, and go in the
            // next batch, which fails.
            harness.Log(0, 1);
            await Eventually.TrueAsync(() => stores.Last!.AppendsWaiting == 1, "the first append waits");
            harness.Log(1, 2);
            LogAuditLog(harness, 3);
            await Eventually.TrueAsync(() => harness.Counters.Queued == 4, "three more wait in the queue");
            stores.Last!.ReleaseAppends();
            await Eventually.TrueAsync(() => harness.Counters.Sent == 4, "all four are sent, one from the buffer, three from memory");
        }

        var report = Assert.Single(selfLog.Lines, l => l.Contains("could not write"));
        Assert.Contains("could not write 3 records (2 events, 1 audit log) to the durable buffer at " + folder.Path, report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARecordTheHookDropsIsNotWritten_AndTheRestOfItsBatchIs()
    {
        using var folder = new TempFolder();
        var stores = new ScriptedStores(s => s.BlockAppends());
        await using var harness = new BufferHarness(folder.Path, Down(),
            o => o.BeforeSend = r => r.Body["name"]!.GetValue<string>() != "drop.me", stores);

        // One batch: the first append waits while a dropped record and a kept one queue behind it.
        harness.Log(0, 1);
        await Eventually.TrueAsync(() => stores.Last!.AppendsWaiting == 1, "the first append waits");
        harness.Log(1, 1, name: "drop.me");
        harness.Log(2, 1);
        await Eventually.TrueAsync(() => harness.Counters.Queued == 3, "two wait in the queue");
        stores.Last!.ReleaseAppends();

        await Eventually.TrueAsync(() => stores.Last.Count == 2 && harness.Counters.Queued == 0, "two are written, one dropped");
        Assert.Equal(1, harness.Counters.LostFor(LossReason.DroppedByHook));
        Assert.Equal(new[] { "buffer.test", "buffer.test" }, stores.Last.ReadAfter(0, 10).Select(r => r.Name));
    }

    // A batch holds batchSizeLimit records at most: seven queued behind a waiting append go in batches of three.
    [Fact]
    public async Task ABatchHoldsAtMostBatchSizeLimitRecords()
    {
        using var folder = new TempFolder();
        var stores = new ScriptedStores(s => s.BlockAppends());
        await using var harness = new BufferHarness(folder.Path, Down(), o => o.BatchSizeLimit = 3, stores);

        harness.Log(0, 1);
        await Eventually.TrueAsync(() => stores.Last!.AppendsWaiting == 1, "the first append waits");
        harness.Log(1, 7);
        await Eventually.TrueAsync(() => harness.Counters.Queued == 8, "seven wait in the queue");
        stores.Last!.ReleaseAppends();

        await Eventually.TrueAsync(() => stores.Last.Count == 8 && harness.Counters.Queued == 0, "all are written");
        Assert.Equal(3, stores.Last.LargestAppend);
        Assert.Equal(4, stores.Last.Appends);
    }

    // A batch the hook drops whole asks the store for nothing: no empty transaction.
    [Fact]
    public async Task ABatchTheHookDropsWholeMakesNoAppend()
    {
        using var folder = new TempFolder();
        var stores = new ScriptedStores();
        await using var harness = new BufferHarness(folder.Path, Down(),
            o => o.BeforeSend = r => r.Body["name"]!.GetValue<string>() != "drop.me", stores);

        harness.Log(0, 2, name: "drop.me");
        await Eventually.TrueAsync(() => harness.Counters.LostFor(LossReason.DroppedByHook) == 2 && harness.Counters.Queued == 0, "both are dropped");
        harness.Log(2, 1);
        await Eventually.TrueAsync(() => harness.Sink.Store.Count == 1, "the next is written");

        Assert.Equal(1, stores.Last!.Appends);
    }

    [Fact]
    public async Task TheSizeLimitHoldsAtItsExactEdge_AndARefusalSaysWhatTheBufferHolds()
    {
        const long limit = 1024 * 1024;
        using var folder = new TempFolder();
        using var selfLog = new SelfLogCollector();
        var stores = new ScriptedStores();
        await using (var harness = new BufferHarness(folder.Path, Down(), o => o.BufferSizeLimitBytes = limit, stores))
        {
            var store = stores.Last!;
            harness.Log(0, 1);
            await Eventually.TrueAsync(() => store.Count == 1, "the first is written");
            var size = store.Bytes;

            // One record's room exactly: it is written.
            store.BytesOffset = limit - size - size;
            harness.Log(1, 1);
            await Eventually.TrueAsync(() => store.Count == 2 || harness.Counters.LostFor(LossReason.BufferFull) > 0, "the second is written or refused");
            Assert.Equal(2, store.Count);
            Assert.Equal(2 * size, store.Bytes - store.BytesOffset);

            // Room for one and a half: of two in one batch the first is written, the second refused.
            store.BytesOffset = 0;
            store.BlockAppends();
            harness.Log(2, 1);
            await Eventually.TrueAsync(() => store.AppendsWaiting == 1, "the blocking append waits");
            harness.Log(3, 2);
            await Eventually.TrueAsync(() => harness.Counters.Queued == 3, "two wait in the queue");
            var held = limit - size - size / 2;
            store.BytesOffset = held - 3 * size;
            store.ReleaseAppends();
            await Eventually.TrueAsync(() => store.Count + harness.Counters.LostFor(LossReason.BufferFull) == 5, "each is written or refused");

            Assert.Equal(4, store.Count);
            Assert.Equal(1, harness.Counters.LostFor(LossReason.BufferFull));
            Assert.Contains(selfLog.Lines, l => l.Contains("was refused because the durable buffer at " + folder.Path + " holds " + (held + size) +
                " bytes of records already (bufferSizeLimitBytes: " + limit + "); the records already buffered are kept. The service has been " +
                "unreachable or slower than the application for a long time", StringComparison.Ordinal));
        }
        Assert.DoesNotContain(selfLog.Lines, l => l.Contains("were removed while this process runs"));
    }

    [Fact]
    public async Task ATrickleIsWrittenWithinTheWriteIntervalWhateverThePeriod()
    {
        using var folder = new TempFolder();
        var stores = new ScriptedStores();
        await using var harness = new BufferHarness(folder.Path, Down(), o => o.Period = TimeSpan.FromHours(1), stores);

        harness.Log(0, 1);
        await Eventually.TrueAsync(() => stores.Last!.Count == 1, "the first is written");
        harness.Log(1, 1);

        // The writer pauses after a batch that was not full for the write interval (100 ms), never for the period.
        await Eventually.TrueAsync(() => stores.Last!.Count == 2, "the second is written within seconds, not an hour");
    }

    [Theory]
    [InlineData(20, 20)]
    [InlineData(99, 99)]
    [InlineData(3_600_000, 100)]
    public async Task AfterABatchThatWasNotFullTheWriterPausesForThePeriodOrTheWriteIntervalWhicheverIsShorter(int periodMs, int pauseMs)
    {
        using var folder = new TempFolder();
        var stores = new ScriptedStores();
        var pauses = new ScriptedPauses();
        await using var harness = new BufferHarness(folder.Path, Down(), o =>
        {
            o.Period = TimeSpan.FromMilliseconds(periodMs);
            o.WritePause = pauses.Pause;
        }, stores);

        harness.Log(0, 1);
        await Eventually.TrueAsync(() => pauses.Count == 1, "the writer pauses after its first batch");

        Assert.Equal(1, stores.Last!.Count);
        Assert.Equal(TimeSpan.FromMilliseconds(pauseMs), Assert.Single(pauses.Asked));
    }

    [Fact]
    public async Task AFullBatchIsFollowedByTheNextWithoutAPause()
    {
        using var folder = new TempFolder();
        var stores = new ScriptedStores();
        var pauses = new ScriptedPauses();
        await using var harness = new BufferHarness(folder.Path, Down(), o =>
        {
            o.BatchSizeLimit = 2;
            o.WritePause = pauses.Pause;
        }, stores);

        harness.Log(0, 1);
        await Eventually.TrueAsync(() => pauses.Count == 1, "the writer pauses after a batch of one");
        harness.Log(1, 2);
        await Eventually.TrueAsync(() => harness.Counters.Queued == 2, "two more wait in the queue");
        pauses.ReleaseAll();
        await Eventually.TrueAsync(() => stores.Last!.Count == 3, "the two are written, as one full batch");

        // Every pause from here on is held: a writer that paused after the full batch would not write the next one.
        harness.Log(3, 1);
        await Eventually.TrueAsync(() => stores.Last!.Count == 4, "the next record is written without waiting for a pause");
        await Eventually.TrueAsync(() => pauses.Count == 2, "and the writer pauses after it, a batch of one");

        Assert.Equal(3, stores.Last!.Appends);
        Assert.Equal(2, stores.Last.LargestAppend);
    }

    [Fact]
    public async Task TheShutdownEndsThePause_AndTheWriterDoesNotPauseAgain()
    {
        using var folder = new TempFolder();
        var stores = new ScriptedStores();
        var pauses = new ScriptedPauses();
        var harness = new BufferHarness(folder.Path, Down(), o => o.WritePause = pauses.Pause, stores);
        await using (harness)
        {
            harness.Log(0, 1);
            await Eventually.TrueAsync(() => pauses.Count == 1, "the writer pauses after its first batch");
            harness.Log(1, 1);
            await Eventually.TrueAsync(() => harness.Counters.Queued == 1, "the second waits in the queue");
        }

        // The pause, never released, was ended by the shutdown; the second record was written, and no pause followed.
        Assert.Equal(2, stores.Last!.Count);
        Assert.Equal(1, pauses.Count);
        Assert.Equal(0, harness.Counters.LostFor(LossReason.Shutdown));
    }

    [Fact]
    public async Task WhatShutdownLeavesInMemoryIsCountedAndSaidByKind_AndACleanShutdownSaysNothing()
    {
        using var folder = new TempFolder();
        using var selfLog = new SelfLogCollector();
        var stores = new ScriptedStores();
        var harness = new BufferHarness(folder.Path, Down(), o => o.ShutdownTimeout = TimeSpan.FromSeconds(2), stores);
        Task disposing;
        await using (harness)
        {
            harness.Log(0, 1);
            await Eventually.TrueAsync(() => stores.Last!.Count == 1, "the first is written");
            stores.Last!.BlockAppends();
            harness.Log(1, 1);
            await Eventually.TrueAsync(() => stores.Last.AppendsWaiting == 1, "the second's append waits");
            harness.Log(2, 2);
            LogAuditLog(harness, 4);
            await Eventually.TrueAsync(() => harness.Counters.Queued == 4, "three wait in the queue");

            var start = harness.Time.GetUtcNow();
            disposing = harness.DisposeAsync().AsTask();
            await Eventually.TrueAsync(() => harness.Time.GetUtcNow() - start > TimeSpan.FromSeconds(3), "the shutdown timeout passes");
            stores.Last.ReleaseAppends();
            await disposing;
        }

        Assert.Equal(3, harness.Counters.LostFor(LossReason.Shutdown));
        // Nothing the writer dropped still counts as waiting (the closed store says nothing either).
        Assert.Null(harness.Sink.OldestUndelivered());
        Assert.Contains(selfLog.Lines, l => l.Contains("LogTrace: 3 records (2 events, 1 audit log) were still in memory when the shutdown timeout of 00:00:02 " +
            "passed, and were dropped before they could be written to the durable buffer at " + folder.Path, StringComparison.Ordinal));
        Assert.Equal(3, harness.Failures.Failures.Count(f => f.Message.Contains("was still in memory when the shutdown timeout passed, before it could be written to the durable buffer", StringComparison.Ordinal)));

        using var cleanLog = new SelfLogCollector();
        await using (var clean = new BufferHarness(folder.Combine("clean"), new CollectingLogTraceApi()))
        {
            clean.Log(0, 2);
            await Eventually.TrueAsync(() => clean.Counters.Sent == 2, "both are sent");
        }
        Assert.DoesNotContain(cleanLog.Lines, l => l.Contains("were still in memory") || l.Contains("were not delivered within the shutdown timeout"));
    }

    [Fact]
    public async Task RecordsSentFromMemoryThatShutdownCutsOffAreCountedAndSaid()
    {
        using var folder = new TempFolder();
        using var selfLog = new SelfLogCollector();
        var (harness, stalled) = StalledWithoutTheDisk(folder);
        await using (harness)
        {
            harness.Log(0, 10);
            await Eventually.TrueAsync(() => stalled.Requests.Count > 0, "the senders have their first records");
        }

        Assert.Equal(10, harness.Counters.Lost + harness.Counters.Sent);
        var fromMemory = harness.Counters.LostFor(LossReason.Shutdown);
        Assert.True(fromMemory > 0, "nothing was cut off at shutdown");
        Assert.Contains(harness.Failures.Failures, f => f.Message.Contains("could not be sent before the shutdown timeout", StringComparison.Ordinal));
        Assert.Contains(selfLog.Lines, l => System.Text.RegularExpressions.Regex.IsMatch(l,
            @"LogTrace: \d+ events? that could not be written to the durable buffer were not delivered within the shutdown timeout of 00:00:02, and were dropped"));
        Assert.DoesNotContain(selfLog.Lines, l => l.Contains("unexpected error"));
    }

    // A buffer whose every append fails (records go from memory) and a service that never answers until the request
    // is cancelled: the senders stay busy, the rest wait for them, and the shutdown (2 s) cuts them off.
    static (BufferHarness Harness, CollectingLogTraceApi Api) StalledWithoutTheDisk(TempFolder folder)
    {
        var stalled = new CollectingLogTraceApi(async (_, cancel) =>
        {
            await Task.Delay(Timeout.Infinite, cancel);
            return new LogTraceResponse(202, null);
        });
        var stores = new ScriptedStores(s => s.FailAppends = new IOException("No space left on device"));
        return (new BufferHarness(folder.Path, stalled, o => o.ShutdownTimeout = TimeSpan.FromSeconds(2), stores), stalled);
    }

    // The same, with two kinds cut off: the summary counts them all, and names each.
    [Fact]
    public async Task RecordsOfTwoKindsSentFromMemoryThatShutdownCutsOffAreSaidByKind()
    {
        using var folder = new TempFolder();
        using var selfLog = new SelfLogCollector();
        var (harness, stalled) = StalledWithoutTheDisk(folder);
        await using (harness)
        {
            harness.Log(0, 3);
            for (var n = 0; n < 2; n++)
                LogAuditLog(harness, n);
            await Eventually.TrueAsync(() => stalled.Requests.Count > 0, "the senders have their first records");
        }

        Assert.Equal(5, harness.Counters.LostFor(LossReason.Shutdown));
        Assert.Contains(selfLog.Lines, l => l.Contains(
            "LogTrace: 5 records (3 events, 2 audit logs) that could not be written to the durable buffer were not delivered within the shutdown timeout of 00:00:02, and were dropped",
            StringComparison.Ordinal));
    }

    [Fact]
    public async Task AFolderRemovedAndTakenByAnotherProcessIsSaidSo_AndTheWarningComesOnce()
    {
        using var folder = new TempFolder();
        using var selfLog = new SelfLogCollector();
        var path = folder.Combine("buffer");
        var harness = new BufferHarness(path, Down(), o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        await using (harness)
        {
            await BufferThenRemoveAsync(harness, path, 2,
                () => Assert.DoesNotContain(selfLog.Lines, l => l.Contains("were removed while this process runs")));
            using var other = BufferLock.TryAcquire(path);   // another process starts a buffer there meanwhile
            Assert.NotNull(other);
            harness.Log(2, 1);
            await Eventually.TrueAsync(() => harness.Sink.Store.Count == 3, "the next is written to the removed file");
            harness.Log(3, 1);
            await Eventually.TrueAsync(() => harness.Sink.Store.Count == 4, "and the one after");
        }

        var warning = Assert.Single(selfLog.Lines, l => l.Contains("were removed while this process runs"));
        Assert.Contains("LogTrace: the durable buffer's files at " + path + " were removed while this process runs (was the folder deleted?): records are still " +
            "written and sent while it lives, but those left at exit are lost; another process has taken the folder already. Restart the process to start a new buffer there.",
            warning);
    }

    [Fact]
    public async Task AFolderRemovedThatCannotBeLockedAgainIsSaidSo()
    {
        using var folder = new TempFolder();
        using var selfLog = new SelfLogCollector();
        var path = folder.Combine("buffer");
        await using (var harness = new BufferHarness(path, Down(), o => o.ShutdownTimeout = TimeSpan.FromSeconds(2)))
        {
            await BufferThenRemoveAsync(harness, path, 1);
            System.IO.File.WriteAllText(path, "a file where the folder was");
            harness.Log(1, 1);
            await Eventually.TrueAsync(() => selfLog.Text.Contains("were removed while this process runs"), "the removal is said");
        }

        // The cause in brackets (not the configuration's wording, whose advice is for a start), then the advice.
        Assert.Contains(selfLog.Lines, l => System.Text.RegularExpressions.Regex.IsMatch(l,
            @"but those left at exit are lost; the folder cannot be locked again \(IOException: The file '[^']+' already exists\.\)\. Restart the process to start a new buffer there\.\s*$"));
    }

    [Fact]
    public async Task TheFolderLockedAgainIsLetGoWhenTheLoggerCloses()
    {
        using var folder = new TempFolder();
        using var selfLog = new SelfLogCollector();
        var path = folder.Combine("buffer");
        await using (var harness = new BufferHarness(path, Down(), o => o.ShutdownTimeout = TimeSpan.FromSeconds(2)))
        {
            await BufferThenRemoveAsync(harness, path, 1);
            harness.Log(1, 1);
            await Eventually.TrueAsync(() => selfLog.Text.Contains("the folder is locked again for this process"), "the folder is locked again");
            using var meanwhile = BufferLock.TryAcquire(path);
            Assert.Null(meanwhile);
        }

        using var after = BufferLock.TryAcquire(path);
        Assert.NotNull(after);
    }

    // Logs `count` records, waits until they are in the store, then removes the buffer's folder under it; `before`
    // runs just before the removal.
    static async Task BufferThenRemoveAsync(BufferHarness harness, string path, int count, Action? before = null)
    {
        harness.Log(0, count);
        await Eventually.TrueAsync(() => harness.Sink.Store.Count == count, count + " are buffered");
        before?.Invoke();
        Directory.Delete(path, recursive: true);
    }
}
