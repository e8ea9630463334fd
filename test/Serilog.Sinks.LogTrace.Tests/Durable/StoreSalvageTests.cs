using System.Text;
using Microsoft.Extensions.Time.Testing;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Buffering;
using Serilog.Sinks.LogTrace.Durable;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Durable;

// A store damaged on disk before a start gives back every row that still reads, and counts the rest.
[Collection(SelfLogCollection.Name)]
public class StoreSalvageTests
{
    const int PageSize = StorePages.PageSize;

    static BufferRecord Record(int n) =>
        new(0, "event." + n, DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000 + n),
            Encoding.UTF8.GetBytes("{\"name\":\"event." + n + "\",\"metadata\":{\"padding\":\"" + new string('x', 400) + "\"}}"));

    static SqliteEventStore Open(TempFolder folder) =>
        SqliteEventStore.Open(folder.Path, new DeadLetterFolder(folder.Path, 1024 * 1024, new FakeTimeProvider()));

    static void Fill(TempFolder folder, int count)
    {
        using var store = Open(folder);
        for (var n = 1; n <= count; n += 100)
            store.Append(Enumerable.Range(n, Math.Min(100, count - n + 1)).Select(Record).ToArray());
    }

    static string StoreFile(TempFolder folder) => folder.Combine(SqliteEventStore.FileName);

    [Fact]
    public void ADamagedPageInTheMiddleLosesOnlyItsRowsAndTheRestComeBackInOrder()
    {
        using var folder = new TempFolder();
        Fill(folder, 2000);
        StorePages.Overwrite(StoreFile(folder), StorePages.Middle(StoreFile(folder)));
        using var selfLog = new SelfLogCollector();

        using var store = Open(folder);

        Assert.InRange(store.Count, 1900, 1999);
        Assert.Equal(store.Count, store.Salvaged);
        Assert.Equal(2000, store.Count + store.LostAtOpen);
        Assert.False(store.LostAtOpenUncounted);
        var names = new List<string>();
        for (long after = 0; ;)
        {
            var read = store.ReadAfter(after, 500);
            if (read.Count == 0)
                break;
            Assert.All(read, r => Assert.False(r.Corrupt));
            names.AddRange(read.Select(r => r.Name));
            after = read[^1].Id;
        }
        var numbers = names.Select(n => int.Parse(n.Substring("event.".Length))).ToArray();
        Assert.Equal(numbers.OrderBy(n => n), numbers);
        Assert.Equal(1, numbers[0]);
        Assert.Equal(2000, numbers[^1]);
        Assert.Contains(Directory.GetFiles(folder.Combine(DeadLetterFolder.FolderName)), f => f.EndsWith("-unreadable-" + SqliteEventStore.FileName));
        Assert.False(System.IO.File.Exists(folder.Combine(StoreSalvage.FileName)));
        var line = Assert.Single(selfLog.Lines, l => l.Contains("was found damaged"));
        Assert.Contains(store.Salvaged + " records were recovered", line);
        Assert.Contains(store.LostAtOpen + " could not be read (ids ", line);
    }

    [Fact]
    public void AStoreCutShortLosesOnlyItsLastRows()
    {
        using var folder = new TempFolder();
        Fill(folder, 3000);
        using (var file = new FileStream(StoreFile(folder), FileMode.Open, FileAccess.Write))
            file.SetLength(file.Length - PageSize);
        using var selfLog = new SelfLogCollector();

        using var store = Open(folder);
        Assert.True(store.Count > 0, selfLog.Text);

        Assert.True(store.Count is >= 2900 and <= 2999, $"count {store.Count}, salvaged {store.Salvaged}, lost {store.LostAtOpen}, uncounted {store.LostAtOpenUncounted}");
        Assert.Equal(3000, store.Count + store.LostAtOpen);
        Assert.Equal("event.1", store.ReadAfter(0, 1).Single().Name);
    }

    [Fact]
    public void ASalvageLeftByARunKilledBeforeItTookThePlaceIsTakenAtTheNextStart()
    {
        using var folder = new TempFolder();
        Fill(folder, 50);
        // As a kill leaves it: the damaged store already moved aside, its salvage (written first) not yet renamed.
        System.IO.File.Move(StoreFile(folder), folder.Combine(StoreSalvage.FileName));

        using var store = Open(folder);

        Assert.Equal(50, store.Count);
        Assert.False(System.IO.File.Exists(folder.Combine(StoreSalvage.FileName)));
    }

    [Fact]
    public void AFileThatIsNoDatabaseIsMovedAsideAndItsLossIsNotGuessed()
    {
        using var folder = new TempFolder();
        System.IO.File.WriteAllBytes(StoreFile(folder), Enumerable.Repeat((byte)0x42, 3 * PageSize).ToArray());
        using var selfLog = new SelfLogCollector();

        using var store = Open(folder);

        Assert.Equal(0, store.Count);
        Assert.Equal(0, store.LostAtOpen);
        Assert.True(store.LostAtOpenUncounted);
        Assert.Contains("how many it held is not known", selfLog.Text);
    }

    [Fact]
    public async Task TheRecoveredRecordsAreDeliveredAndTheLostCountedCorrupt()
    {
        using var folder = new TempFolder();
        Fill(folder, 600);
        StorePages.Overwrite(StoreFile(folder), StorePages.Middle(StoreFile(folder)));
        using var selfLog = new SelfLogCollector();

        var api = new CollectingLogTraceApi();
        await using var harness = new BufferHarness(folder.Path, api);
        var salvaged = harness.Sink.Store.Salvaged;
        var lost = harness.Sink.Store.LostAtOpen;
        Assert.True(lost > 0 && salvaged > 500, $"salvaged {salvaged}, lost {lost}");
        Assert.Equal(600, salvaged + lost);

        await harness.Time.AdvanceUntilAsync(() => harness.Counters.Sent == salvaged, "every recovered record is delivered", TimeSpan.FromMilliseconds(50));
        Assert.Equal(lost, harness.Counters.LostFor(LossReason.Corrupt));
        Assert.Equal(salvaged, api.Bodies.Count);
        Assert.Equal(lost, harness.Target.Status(false).Lost["corrupt"]);
        // Said with what was lost and where the file went.
        Assert.Contains(selfLog.Lines, l => l.Contains("LogTrace record (in the damaged store) was in the durable buffer's store, found damaged at start, " +
            "and could not be read back; the file was moved to " + folder.Combine(DeadLetterFolder.FolderName), StringComparison.Ordinal));
    }
}
