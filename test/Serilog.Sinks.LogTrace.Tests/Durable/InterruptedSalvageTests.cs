using System.Text;
using Serilog.Sinks.LogTrace.Buffering;
using Serilog.Sinks.LogTrace.Durable;
using Serilog.Sinks.LogTrace.Tests.Support;
using static Serilog.Sinks.LogTrace.Tests.Support.TestStores;

namespace Serilog.Sinks.LogTrace.Tests.Durable;

// A run killed between the file moves of a salvage at open (SqliteEventStore.Salvage: the damaged events.db, then its
// -wal, then its -shm go to dead-letter/, then events.salvage.db becomes events.db). Each state is made by hand, then a
// new store opens the folder. Found by a review: killed after the file and before its -wal, the next start applied the
// damaged file's -wal to the salvage (records doubled, silently), and taking a salvage left by a killed run said
// nothing.
[Collection(SelfLogCollection.Name)]
public class InterruptedSalvageTests
{
    static void AppendPadded(SqliteEventStore store, int from, int count)
    {
        for (var n = from; n < from + count; n += 100)
            store.Append(Enumerable.Range(n, Math.Min(100, from + count - n)).Select(k => new BufferRecord(0, "event." + k,
                DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000 + k),
                Encoding.UTF8.GetBytes("{\"name\":\"event." + k + "\",\"metadata\":{\"padding\":\"" + new string('x', 400) + "\"}}"))).ToArray());
    }

    static string[] Names(SqliteEventStore store) => store.ReadAfter(0, 100_000).Select(r => (r.Corrupt ? "corrupt:" : "") + r.Name).ToArray();

    // What a store opened over a copy of this file alone reads (the file is left as it is).
    static string[] NamesIn(string file)
    {
        using var copy = new TempFolder();
        System.IO.File.Copy(file, copy.Combine(SqliteEventStore.FileName));
        using var store = Open(copy.Path);
        return Names(store);
    }

    // A damaged events.db with a live -wal (records 2,001 to 2,100 are in the -wal only, as a kill leaves them), its
    // salvage complete beside it (events.salvage.db), and the -wal's bytes as the killed run had them.
    static byte[] DamagedStoreAndItsSalvage(string folder)
    {
        using var source = new TempFolder();
        using (var store = Open(source.Path))
            AppendPadded(store, 1, 2000);
        using (var store = Open(source.Path))
        {
            AppendPadded(store, 2001, 100);
            System.IO.File.Copy(Path.Combine(source.Path, SqliteEventStore.FileName), Path.Combine(folder, SqliteEventStore.FileName));
            System.IO.File.Copy(Path.Combine(source.Path, SqliteEventStore.FileName + "-wal"), Path.Combine(folder, SqliteEventStore.FileName + "-wal"));
        }
        var wal = System.IO.File.ReadAllBytes(Path.Combine(folder, SqliteEventStore.FileName + "-wal"));
        var file = Path.Combine(folder, SqliteEventStore.FileName);
        // One page in the middle of the main file (not one the -wal holds): 8 records lost, 2,092 salvaged.
        StorePages.Overwrite(file, StorePages.Middle(file));
        var result = StoreSalvage.Run(file, Path.Combine(folder, StoreSalvage.FileName));
        Assert.Equal(2092, result.Salvaged);
        return wal;
    }

    // Killed after "events.db" went to dead-letter/ and before "events.db-wal" did (the -wal is still there when the
    // salvage connection could not checkpoint it, which is why Salvage moves it at all). The next start takes the
    // salvage as events.db, beside the damaged file's -wal: SQLite checks a WAL's frames against the WAL's own header
    // only, never against the database, so it would apply the damaged file's pages to the salvage.
    [Fact]
    public void AKillBetweenMovingTheDamagedFileAndItsWal_NeverAppliesThatWalToTheSalvage()
    {
        using var folder = new TempFolder();
        var wal = DamagedStoreAndItsSalvage(folder.Path);
        var salvaged = NamesIn(folder.Combine(StoreSalvage.FileName));
        Assert.Equal(2092, salvaged.Length);
        Directory.CreateDirectory(folder.Combine(DeadLetterFolder.FolderName));
        System.IO.File.Move(folder.Combine(SqliteEventStore.FileName),
            folder.Combine(DeadLetterFolder.FolderName, "20261205T120000000-unreadable-" + SqliteEventStore.FileName));
        System.IO.File.WriteAllBytes(folder.Combine(SqliteEventStore.FileName + "-wal"), wal);

        using var store = Open(folder.Path);

        var names = Names(store);
        var doubled = names.GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        var missing = salvaged.Except(names).ToArray();
        var added = names.Except(salvaged).ToArray();
        Assert.Single(Directory.GetFiles(folder.Combine(DeadLetterFolder.FolderName), "*-unreadable-" + SqliteEventStore.FileName + "-wal"));
        Assert.True(salvaged.SequenceEqual(names), string.Format(
            "the store opened with {0} records, the salvage held {1}: {2} doubled ({3}), {4} missing, {5} not in the salvage ({6}); dead-letter: {7}",
            names.Length, salvaged.Length, doubled.Length, string.Join(", ", doubled.Take(5)), missing.Length, added.Length,
            string.Join(", ", added.Take(5)), string.Join(", ", Directory.GetFiles(folder.Combine(DeadLetterFolder.FolderName)).Select(Path.GetFileName))));
    }

    // Killed after the damaged file and its -wal went to dead-letter/ (and maybe before the SelfLog line), before the
    // salvage took the place: the next start takes the salvage. It should say so: the first run may have died before
    // its line, and this run's Salvaged / LostAtOpen stay 0, so the records the damage cost are reported nowhere.
    [Fact]
    public void TakingASalvageLeftByAKilledRunIsSaidInSelfLog()
    {
        using var folder = new TempFolder();
        DamagedStoreAndItsSalvage(folder.Path);
        Directory.CreateDirectory(folder.Combine(DeadLetterFolder.FolderName));
        System.IO.File.Move(folder.Combine(SqliteEventStore.FileName),
            folder.Combine(DeadLetterFolder.FolderName, "20261205T120000000-unreadable-" + SqliteEventStore.FileName));
        System.IO.File.Delete(folder.Combine(SqliteEventStore.FileName + "-wal"));
        using var selfLog = new SelfLogCollector();

        using var store = Open(folder.Path);

        Assert.Equal(2092, store.Count);
        Assert.Contains(selfLog.Lines, l => l.Contains("LogTrace: the durable buffer at " + folder.Path + " holds a copy of its damaged store (" +
            folder.Combine(StoreSalvage.FileName) + ") made by an earlier run that ended before the copy took the store's place; it takes it now",
            StringComparison.Ordinal));
    }

    // Killed during the salvage, or after it and before anything was moved: the damaged file is where it was, the next
    // start salvages it again over a fresh copy. Nothing is lost or doubled (control: expected to pass).
    [Fact]
    public void AKillBeforeAnythingWasMovedSalvagesAgain()
    {
        using var folder = new TempFolder();
        var wal = DamagedStoreAndItsSalvage(folder.Path);
        var salvaged = NamesIn(folder.Combine(StoreSalvage.FileName));
        // A half-written salvage from the killed run: cut short.
        using (var stream = new FileStream(folder.Combine(StoreSalvage.FileName), FileMode.Open))
            stream.SetLength(stream.Length / 2);

        using var store = Open(folder.Path);

        Assert.Equal(salvaged, Names(store));
        Assert.False(System.IO.File.Exists(folder.Combine(StoreSalvage.FileName)));
    }

    // A store whose three records are in its -wal only (a copy taken while it is open): the file goes to folder/name
    // and the -wal to folder/walName.
    static void CopyWithWalWhileOpen(string folder, string name, string walName)
    {
        using var source = new TempFolder();
        using var store = Open(source.Path);
        AppendPadded(store, 1, 3);
        System.IO.File.Copy(Path.Combine(source.Path, SqliteEventStore.FileName), Path.Combine(folder, name));
        System.IO.File.Copy(Path.Combine(source.Path, SqliteEventStore.FileName + "-wal"), Path.Combine(folder, walName));
    }

    // Killed inside SalvagePlacement.Take, after the salvage became events.db and before its -wal (left when the
    // salvage's close could not checkpoint) followed: the records in that -wal were missing from the store, silently,
    // and the next salvage deleted them with the stray file.
    [Fact]
    public void AKillBetweenTakingTheSalvageAndItsWal_TheWalFollowsAtTheNextStart()
    {
        using var folder = new TempFolder();
        CopyWithWalWhileOpen(folder.Path, SqliteEventStore.FileName, StoreSalvage.FileName + "-wal");
        using var selfLog = new SelfLogCollector();

        using var store = Open(folder.Path);

        Assert.Equal(new[] { "event.1", "event.2", "event.3" }, Names(store));
        Assert.False(System.IO.File.Exists(folder.Combine(StoreSalvage.FileName + "-wal")));
        Assert.False(Directory.Exists(folder.Combine(DeadLetterFolder.FolderName)));
        Assert.Contains(selfLog.Lines, l => l.Contains("LogTrace: the durable buffer at " + folder.Path + " holds the copy of its damaged store " +
            "that an earlier run put in the store's place, but that run ended before the copy's " + StoreSalvage.FileName + "-wal followed it; it " +
            "follows now", StringComparison.Ordinal));
    }

    // A salvage's -wal beside a store that has a -wal of its own cannot have come from Take: it is not applied to the
    // store (whose pages it does not describe) but moved to the dead letters, and said.
    [Fact]
    public void AStraySalvageWalBesideAStoreWithItsOwnWal_GoesToTheDeadLetters()
    {
        using var folder = new TempFolder();
        CopyWithWalWhileOpen(folder.Path, SqliteEventStore.FileName, SqliteEventStore.FileName + "-wal");
        using (var other = new TempFolder())
        {
            CopyWithWalWhileOpen(other.Path, "unused.db", "unused.db-wal");
            System.IO.File.Copy(other.Combine("unused.db-wal"), folder.Combine(StoreSalvage.FileName + "-wal"));
        }
        using var selfLog = new SelfLogCollector();

        using var store = Open(folder.Path);

        Assert.Equal(new[] { "event.1", "event.2", "event.3" }, Names(store));
        Assert.False(System.IO.File.Exists(folder.Combine(StoreSalvage.FileName + "-wal")));
        Assert.Single(Directory.GetFiles(folder.Combine(DeadLetterFolder.FolderName), "*-unreadable-" + StoreSalvage.FileName + "-wal"));
        Assert.Contains(selfLog.Lines, l => l.Contains("LogTrace: the durable buffer at " + folder.Path + " held a " + StoreSalvage.FileName +
            "-wal that belongs to no store; it was moved to " + folder.Combine(DeadLetterFolder.FolderName), StringComparison.Ordinal));
    }

    // With no store at all, the stray -wal goes aside too, and the new store starts empty.
    [Fact]
    public void AStraySalvageWalWithNoStore_GoesToTheDeadLetters_AndTheStoreStartsEmpty()
    {
        using var folder = new TempFolder();
        CopyWithWalWhileOpen(folder.Path, "unused.db", StoreSalvage.FileName + "-wal");
        System.IO.File.Delete(folder.Combine("unused.db"));

        using var store = Open(folder.Path);

        Assert.Equal(0, store.Count);
        Assert.False(System.IO.File.Exists(folder.Combine(StoreSalvage.FileName + "-wal")));
        Assert.Single(Directory.GetFiles(folder.Combine(DeadLetterFolder.FolderName), "*-unreadable-" + StoreSalvage.FileName + "-wal"));
    }

    // The stray -wal that cannot be moved aside fails the open, naming it, rather than being applied or deleted.
    [Fact]
    public void AStraySalvageWalThatCannotBeMovedAside_FailsTheOpen()
    {
        using var folder = new TempFolder();
        CopyWithWalWhileOpen(folder.Path, SqliteEventStore.FileName, SqliteEventStore.FileName + "-wal");
        System.IO.File.WriteAllText(folder.Combine(StoreSalvage.FileName + "-wal"), "stray");
        // A file where the dead-letter folder would go: nothing can be moved into it.
        System.IO.File.WriteAllText(folder.Combine(DeadLetterFolder.FolderName), "in the way");

        var error = Assert.Throws<ArgumentException>(() => Open(folder.Path));

        Assert.StartsWith("The LogTrace bufferPath '" + folder.Path + "' cannot be used: a stray " + StoreSalvage.FileName +
            "-wal could not be moved aside", error.Message, StringComparison.Ordinal);
        Assert.True(System.IO.File.Exists(folder.Combine(StoreSalvage.FileName + "-wal")));
    }

    // A copy left behind that cannot be moved into the store's place (here a folder holds the store's name) fails the
    // open naming the folder and the copy, not with a bare IOException; the copy stays for the next start.
    [Fact]
    public void ACopyLeftBehindThatCannotTakeThePlace_FailsTheOpenNamingIt()
    {
        using var folder = new TempFolder();
        CopyWithWalWhileOpen(folder.Path, StoreSalvage.FileName, "unused.db-wal");
        Directory.CreateDirectory(folder.Combine(SqliteEventStore.FileName));

        var error = Assert.Throws<ArgumentException>(() => Open(folder.Path));

        Assert.StartsWith("The LogTrace bufferPath '" + folder.Path + "' cannot be used: its salvaged copy " + folder.Combine(StoreSalvage.FileName) +
            " could not take the store's place (", error.Message, StringComparison.Ordinal);
        Assert.True(error.InnerException is IOException or UnauthorizedAccessException, error.InnerException?.GetType().Name);
        Assert.True(System.IO.File.Exists(folder.Combine(StoreSalvage.FileName)));
    }

    // The same for a copy's -wal that cannot follow it (a folder holds the store's -wal name): the open fails naming it,
    // and the -wal stays, its records neither applied elsewhere nor deleted.
    [Fact]
    public void ACopysWalThatCannotFollowIt_FailsTheOpenNamingIt()
    {
        using var folder = new TempFolder();
        CopyWithWalWhileOpen(folder.Path, SqliteEventStore.FileName, StoreSalvage.FileName + "-wal");
        Directory.CreateDirectory(folder.Combine(SqliteEventStore.FileName + "-wal"));

        var error = Assert.Throws<ArgumentException>(() => Open(folder.Path));

        Assert.StartsWith("The LogTrace bufferPath '" + folder.Path + "' cannot be used: its salvaged copy's " + StoreSalvage.FileName +
            "-wal could not follow it (", error.Message, StringComparison.Ordinal);
        Assert.True(System.IO.File.Exists(folder.Combine(StoreSalvage.FileName + "-wal")));
    }
}
