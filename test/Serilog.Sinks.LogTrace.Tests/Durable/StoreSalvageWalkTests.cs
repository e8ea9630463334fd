using System.Text;
using Microsoft.Data.Sqlite;
using Serilog.Sinks.LogTrace.Buffering;
using Serilog.Sinks.LogTrace.Durable;
using Serilog.Sinks.LogTrace.Records;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Durable;

// StoreSalvage.Run on files made for it: what it copies, where it numbers the copies, what it counts and how it says
// it. (StoreSalvageTests has the store's side: a damaged file found at open and while running.)
public class StoreSalvageWalkTests
{
    static BufferRecord Record(int n) =>
        new(0, "event." + n, DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000 + n),
            Encoding.UTF8.GetBytes("{\"name\":\"event." + n + "\",\"metadata\":{\"padding\":\"" + new string('x', 200) + "\"}}"),
            kind: n % 2 == 0 ? RecordKind.AuditLog : RecordKind.Event);

    static string Create(TempFolder folder, int count)
    {
        var file = folder.Combine(SqliteEventStore.FileName);
        using var database = new SqliteDatabase(file);
        for (var n = 1; n <= count; n += 100)
            database.Append(Enumerable.Range(n, Math.Min(100, count - n + 1)).Select(Record).ToArray());
        return file;
    }

    static SqliteConnection Connect(string file)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    static void Execute(string file, string sql)
    {
        using var connection = Connect(file);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    static long Scalar(string file, string sql)
    {
        using var connection = Connect(file);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    // The salvage's rows: id and name, in id order.
    static List<(long Id, string Name, RecordKind Kind)> Rows(string file)
    {
        using var database = new SqliteDatabase(file);
        return database.ReadAfter(0, int.MaxValue).Select(r => (r.Id, r.Name, r.Kind)).ToList();
    }

    [Fact]
    public void AnIntactFileIsCopiedWholeInOrderNumberedAboveTheIdsGiven()
    {
        using var folder = new TempFolder();
        var file = Create(folder, 1_234);
        var salvage = folder.Combine(StoreSalvage.FileName);

        var result = StoreSalvage.Run(file, salvage, idsAbove: 5_000);

        Assert.Equal(1_234, result.Salvaged);
        Assert.Equal(0, result.Lost);
        Assert.Null(result.Failure);
        Assert.Equal("every row was recovered", StoreSalvage.Describe(result));
        var rows = Rows(salvage);
        Assert.Equal(Enumerable.Range(1, 1_234).Select(n => "event." + n), rows.Select(r => r.Name));
        Assert.Equal(Enumerable.Range(1, 1_234).Select(n => n % 2 == 0 ? RecordKind.AuditLog : RecordKind.Event), rows.Select(r => r.Kind));
        Assert.Equal(5_001, rows[0].Id);
        Assert.Equal(5_000 + 1_234, rows[^1].Id);
    }

    // The walk starts at the lowest id there is: a store whose first thousands were delivered is not walked from 1.
    [Fact]
    public void DeliveredRecordsBeforeTheFirstAreNeitherWalkedNorCounted()
    {
        using var folder = new TempFolder();
        var file = Create(folder, 300);
        Execute(file, "DELETE FROM events WHERE id <= 250;");
        var salvage = folder.Combine(StoreSalvage.FileName);

        var result = StoreSalvage.Run(file, salvage);

        Assert.Equal(50, result.Salvaged);
        Assert.Equal(0, result.Lost);
        Assert.Equal("event.251", Rows(salvage)[0].Name);
    }

    [Fact]
    public void RowsFailingTheirChecksumAreCountedCorruptWithTheirIds()
    {
        using var folder = new TempFolder();
        var file = Create(folder, 20);
        Execute(file, "UPDATE events SET body = X'7B7D' WHERE id IN (7, 9, 12);");
        var salvage = folder.Combine(StoreSalvage.FileName);

        var result = StoreSalvage.Run(file, salvage);

        Assert.Equal(17, result.Salvaged);
        Assert.Equal(3, result.Corrupt);
        Assert.Equal(0, result.Unreadable);
        Assert.Equal(3, result.Lost);
        Assert.Equal(7, result.FirstLostId);
        Assert.Equal(12, result.LastLostId);
        Assert.Equal("3 could not be read (ids 7 to 12; ids of records delivered before the damage may be among them)", StoreSalvage.Describe(result));
        Assert.DoesNotContain(Rows(salvage), r => r.Name is "event.7" or "event.9" or "event.12");
    }

    // Records a sender has are its to account for: not copied, and not counted, even when they no longer read.
    [Fact]
    public void RowsASenderHasAreNeitherCopiedNorCounted()
    {
        using var folder = new TempFolder();
        var file = Create(folder, 20);
        Execute(file, "UPDATE events SET body = X'7B7D' WHERE id IN (3, 4);");
        var salvage = folder.Combine(StoreSalvage.FileName);

        var result = StoreSalvage.Run(file, salvage, idsAbove: 100, inFlight: id => id is 1 or 2 or 3);

        Assert.Equal(16, result.Salvaged);
        Assert.Equal(1, result.Corrupt);
        Assert.Equal(4, result.FirstLostId);
        Assert.Equal(4, result.LastLostId);
        Assert.Equal("event.5", Rows(salvage)[0].Name);
    }

    [Fact]
    public void AFileThatIsNoDatabaseIsNotCountedAndLeavesNoSalvage()
    {
        using var folder = new TempFolder();
        var file = folder.Combine(SqliteEventStore.FileName);
        System.IO.File.WriteAllBytes(file, Enumerable.Repeat((byte)0x42, 3 * 4096).ToArray());
        var salvage = folder.Combine(StoreSalvage.FileName);

        var result = StoreSalvage.Run(file, salvage);

        Assert.Equal(-1, result.Unreadable);
        Assert.Equal(-1, result.Lost);
        Assert.Equal(0, result.Salvaged);
        Assert.NotNull(result.Failure);
        Assert.Equal("none of its rows could be read (" + result.Failure + "), and how many it held is not known", StoreSalvage.Describe(result));
        Assert.False(System.IO.File.Exists(salvage));
    }

    // A salvage left by a run killed part-way is no base for this one: it is made anew.
    [Fact]
    public void ASalvageLeftBehindIsReplaced()
    {
        using var folder = new TempFolder();
        var file = Create(folder, 10);
        var salvage = folder.Combine(StoreSalvage.FileName);
        System.IO.File.WriteAllBytes(salvage, Enumerable.Repeat((byte)0x42, 3 * 4096).ToArray());

        var result = StoreSalvage.Run(file, salvage);

        Assert.Equal(10, result.Salvaged);
        Assert.Equal(10, Rows(salvage).Count);
    }

    [Fact]
    public void NothingToSalvageLeavesNoSalvageFile()
    {
        using var folder = new TempFolder();
        var file = Create(folder, 3);
        Execute(file, "UPDATE events SET body = X'7B7D';");
        var salvage = folder.Combine(StoreSalvage.FileName);

        var result = StoreSalvage.Run(file, salvage);

        Assert.Equal(0, result.Salvaged);
        Assert.Equal(3, result.Corrupt);
        Assert.False(System.IO.File.Exists(salvage));
        Assert.False(System.IO.File.Exists(salvage + "-wal"));
    }

    // One page (numbered from 1) of the file overwritten with bytes that are no b-tree page.
    static void OverwritePage(string file, long page)
    {
        var pageSize = (int)Scalar(file, "PRAGMA page_size;");
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Write);
        stream.Position = (page - 1) * pageSize;
        stream.Write(Enumerable.Repeat((byte)0x5A, pageSize).ToArray(), 0, pageSize);
    }

    static void OverwriteTableRoot(string file)
    {
        OverwritePage(file, Scalar(file, "SELECT rootpage FROM sqlite_master WHERE name = 'events';"));
    }

    // Not one row reads, and the file no longer gives its last id: how many it held is not known, and is said so. It
    // was "every row was recovered", and a store damaged so while running counted none of its records lost.
    [Fact]
    public void ATableWhoseRootAndLastIdAreGoneIsNotCountedAsNothingLost()
    {
        using var folder = new TempFolder();
        var file = Create(folder, 200);
        Execute(file, "DELETE FROM sqlite_sequence;");
        OverwriteTableRoot(file);
        var salvage = folder.Combine(StoreSalvage.FileName);

        var result = StoreSalvage.Run(file, salvage);

        Assert.Equal(0, result.Salvaged);
        Assert.Equal(-1, result.Unreadable);
        Assert.Equal(-1, result.Lost);
        Assert.Equal("none of its rows could be read (its table and its last id are damaged), and how many it held is not known",
            StoreSalvage.Describe(result));
        Assert.False(System.IO.File.Exists(salvage));

        // At open: the loss is said to be uncounted, not none.
        using var store = SqliteEventStore.Open(folder.Path, new DeadLetterFolder(folder.Path, 1024 * 1024, new Microsoft.Extensions.Time.Testing.FakeTimeProvider()));
        Assert.Equal(0, store.Count);
        Assert.True(store.LostAtOpenUncounted);
    }

    // The table's root page is gone: no row reads. The ids up to the last the file gave out are counted without trying
    // each: after GiveUpAfter failures in a row, the rest are added at once.
    [Fact]
    public void ATableWhoseRootIsGoneCountsEveryIdUpToTheLast()
    {
        using var folder = new TempFolder();
        var file = Create(folder, 200);
        Execute(file, "UPDATE sqlite_sequence SET seq = 25000 WHERE name = 'events';");
        OverwriteTableRoot(file);
        var salvage = folder.Combine(StoreSalvage.FileName);

        var result = StoreSalvage.Run(file, salvage);

        Assert.Equal(0, result.Salvaged);
        Assert.Equal(25_000, result.Unreadable);
        Assert.Equal(1, result.FirstLostId);
        Assert.Equal(25_000, result.LastLostId);
        Assert.Equal("25000 could not be read (ids 1 to 25000; ids of records delivered before the damage may be among them)", StoreSalvage.Describe(result));
        Assert.False(System.IO.File.Exists(salvage));
    }

    [Fact]
    public void AFileThatCouldNotBeReadAtAllHasLostANumberNotKnownWhateverWasCorrupt()
    {
        var result = new StoreSalvage.Result { Unreadable = -1, Corrupt = 2 };

        Assert.Equal(-1, result.Lost);
        Assert.Equal(5, new StoreSalvage.Result { Unreadable = 3, Corrupt = 2 }.Lost);
    }

    // A store that never held a record has neither rows nor a last id: nothing was lost, and nothing is left behind.
    [Fact]
    public void AStoreThatNeverHeldARecordHasLostNothing()
    {
        using var folder = new TempFolder();
        var file = Create(folder, 0);
        var salvage = folder.Combine(StoreSalvage.FileName);

        var result = StoreSalvage.Run(file, salvage);

        Assert.Equal(0, result.Salvaged);
        Assert.Equal(0, result.Unreadable);
        Assert.Equal(0, result.Lost);
        Assert.Null(result.Failure);
        Assert.Equal("every row was recovered", StoreSalvage.Describe(result));
        Assert.False(System.IO.File.Exists(salvage));
    }

    // The schema is on the first page: with it damaged no row can be found, and the file is said to be unreadable
    // with SQLite's own reason, not walked id by id.
    [Fact]
    public void AFileWhoseSchemaPageIsDamagedIsUnreadableWithSqlitesReason()
    {
        using var folder = new TempFolder();
        var file = Create(folder, 50);
        using (var stream = new FileStream(file, FileMode.Open, FileAccess.Write))
        {
            // Past the 100-byte file header, the rest of page 1: sqlite_master's b-tree page.
            stream.Position = 100;
            stream.Write(Enumerable.Repeat((byte)0x5A, 4096 - 100).ToArray(), 0, 4096 - 100);
        }
        var salvage = folder.Combine(StoreSalvage.FileName);

        var result = StoreSalvage.Run(file, salvage);

        Assert.Equal(0, result.Salvaged);
        Assert.Equal(-1, result.Unreadable);
        Assert.NotNull(result.Failure);
        Assert.NotEqual("its table and its last id are damaged", result.Failure);
        Assert.Contains("malformed", result.Failure, StringComparison.OrdinalIgnoreCase);
        Assert.False(System.IO.File.Exists(salvage));
    }

    static void CutLastPage(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Write);
        stream.SetLength(stream.Length - 4096);
    }

    // A file cut short (its last page gone) is read up to the cut: SQLite would otherwise refuse it whole.
    [Fact]
    public void AFileCutShortGivesBackTheRowsBeforeTheCut()
    {
        using var folder = new TempFolder();
        var file = Create(folder, 600);
        CutLastPage(file);
        var salvage = folder.Combine(StoreSalvage.FileName);

        var result = StoreSalvage.Run(file, salvage);

        Assert.Null(result.Failure);
        Assert.True(result.Salvaged >= 500, "salvaged " + result.Salvaged);
        Assert.Equal(600, result.Salvaged + result.Lost);
    }

    // What a run killed part-way left beside the salvage file (its -wal and -shm) is removed with it.
    [Fact]
    public void TheSalvagesOwnFilesLeftBehindAreRemoved()
    {
        using var folder = new TempFolder();
        var file = Create(folder, 3);
        Execute(file, "UPDATE events SET body = X'7B7D';");
        var salvage = folder.Combine(StoreSalvage.FileName);
        foreach (var part in new[] { salvage, salvage + "-wal", salvage + "-shm" })
            System.IO.File.WriteAllBytes(part, Enumerable.Repeat((byte)0x42, 4096).ToArray());

        StoreSalvage.Run(file, salvage);

        Assert.False(System.IO.File.Exists(salvage));
        Assert.False(System.IO.File.Exists(salvage + "-wal"));
        Assert.False(System.IO.File.Exists(salvage + "-shm"));
    }

    // A -wal that cannot be deleted (a virus scanner holds it; here a directory in its place) keeps its file: a -wal
    // without its file would be taken at the next start for a salvage's, and applied to the store. The salvage then
    // fails, said, rather than appending to the earlier copy (its rows would be sent twice).
    [Fact]
    public void ASalvageWhoseWalCannotBeDeletedIsKept_AndNotAppendedTo()
    {
        using var folder = new TempFolder();
        var file = Create(folder, 3);
        var salvage = folder.Combine(StoreSalvage.FileName);
        System.IO.File.WriteAllBytes(salvage, Enumerable.Repeat((byte)0x42, 4096).ToArray());
        Directory.CreateDirectory(salvage + "-wal");
        System.IO.File.WriteAllText(Path.Combine(salvage + "-wal", "held"), "held");

        var result = StoreSalvage.Run(file, salvage);

        Assert.Equal(0, result.Salvaged);
        Assert.Equal("an earlier copy, " + salvage + ", could not be removed", result.Failure);
        Assert.True(System.IO.File.Exists(salvage), "the file of a -wal that could not be deleted is kept");
        Assert.Equal(4096, new FileInfo(salvage).Length);
    }

    // Cut short and without its last id (the sequence row gone, and MAX(id) past the cut): the walk goes on until
    // GiveUpAfter ids in a row fail, and those trailing ids are not rows the file held, so nothing is counted lost.
    [Fact]
    public void AFileCutShortWithoutItsLastIdCountsNoTrailingIdsLost()
    {
        using var folder = new TempFolder();
        var file = Create(folder, 600);
        Execute(file, "DELETE FROM sqlite_sequence;");
        CutLastPage(file);
        var salvage = folder.Combine(StoreSalvage.FileName);

        var result = StoreSalvage.Run(file, salvage);

        Assert.Null(result.Failure);
        Assert.True(result.Salvaged is >= 500 and < 600, "salvaged " + result.Salvaged);
        Assert.Equal(0, result.Unreadable);
        Assert.Equal(0, result.Lost);
    }

    // A page in the middle of the file (a leaf of the events table, well past the schema and the table's root)
    // overwritten: the rows on it no longer read.
    static void OverwriteMiddlePage(string file)
    {
        OverwritePage(file, Scalar(file, "PRAGMA page_count;") / 2);
    }

    // The newest records were removed (delivered) before the damage: the last id the file gave out is past every row,
    // and the walk ends where the index does.
    [Fact]
    public void AWalkEndsWhereTheIndexDoesWhenTheLastIdsWereDelivered()
    {
        using var folder = new TempFolder();
        var file = Create(folder, 300);
        Execute(file, "DELETE FROM events WHERE id > 290;");
        var salvage = folder.Combine(StoreSalvage.FileName);

        var result = StoreSalvage.Run(file, salvage);

        Assert.Equal(290, result.Salvaged);
        Assert.Equal(0, result.Lost);
        Assert.Equal("event.290", Rows(salvage)[^1].Name);
    }

    // A run killed part-way can leave its salvage's -wal with committed frames. The salvage removes it with the file
    // (and SQLite itself discards a -wal found beside an empty database): the new salvage holds the damaged file's rows
    // and no others.
    [Fact]
    public void AWalLeftBehindByAKilledSalvageIsNotReplayedIntoTheNewOne()
    {
        using var folder = new TempFolder();
        var file = Create(folder, 5);
        var salvage = folder.Combine(StoreSalvage.FileName);
        var stale = folder.Combine("stale.db");
        using (var database = new SqliteDatabase(stale))
        {
            database.Append(Enumerable.Range(900, 3).Select(Record).ToArray());
            // As a kill would leave them: the file and its -wal with the rows not yet checkpointed.
            System.IO.File.Copy(stale, salvage);
            System.IO.File.Copy(stale + "-wal", salvage + "-wal");
        }

        var result = StoreSalvage.Run(file, salvage);

        Assert.Equal(5, result.Salvaged);
        Assert.Equal(Enumerable.Range(1, 5).Select(n => "event." + n), Rows(salvage).Select(r => r.Name));
    }

    // A damaged leaf in the middle loses its rows only; the walk steps over it and reads on.
    [Fact]
    public void ADamagedPageInTheMiddleLosesOnlyItsRows()
    {
        using var folder = new TempFolder();
        var file = Create(folder, 600);
        OverwriteMiddlePage(file);
        var salvage = folder.Combine(StoreSalvage.FileName);

        var result = StoreSalvage.Run(file, salvage);

        Assert.Null(result.Failure);
        Assert.InRange(result.Unreadable, 2, 100);
        Assert.Equal(600, result.Salvaged + result.Lost);
        Assert.Equal(result.LastLostId - result.FirstLostId + 1, result.Unreadable);
        Assert.Equal("event.600", Rows(salvage)[^1].Name);
    }

    // After giveUpAfter ids in a row that do not read, the walk asks the index further on and goes on from the first id
    // past the damage: nothing readable is jumped over, whatever the limit.
    [Fact]
    public void AWalkThatGivesUpJumpsOverTheDamageAndLosesNothingReadable()
    {
        using var folder = new TempFolder();
        var file = Create(folder, 600);
        OverwriteMiddlePage(file);
        var whole = StoreSalvage.Run(file, folder.Combine("whole.db"));
        var inARow = (int)whole.Unreadable;

        foreach (var limit in new[] { 1, 2, inARow - 1, inARow, inARow + 1 })
        {
            var result = StoreSalvage.Run(file, folder.Combine("limit-" + limit + ".db"), giveUpAfter: limit);

            Assert.Equal(whole.Salvaged, result.Salvaged);
            Assert.Equal(inARow, result.Unreadable);
            Assert.Equal(whole.FirstLostId, result.FirstLostId);
            Assert.Equal(whole.LastLostId, result.LastLostId);
        }
    }

    // The leaf of the table's lowest ids overwritten.
    static void OverwriteFirstLeaf(string file)
    {
        var root = Scalar(file, "SELECT rootpage FROM sqlite_master WHERE name = 'events';");
        var pageSize = (int)Scalar(file, "PRAGMA page_size;");
        var bytes = System.IO.File.ReadAllBytes(file);
        var page = root;
        // Down the leftmost child of each interior page (type 0x05) to the first leaf.
        while (bytes[(page - 1) * pageSize] == 0x05)
        {
            var start = (int)((page - 1) * pageSize);
            var cell = start + ((bytes[start + 12] << 8) | bytes[start + 13]);
            page = (bytes[cell] << 24) | (bytes[cell + 1] << 16) | (bytes[cell + 2] << 8) | bytes[cell + 3];
        }
        Assert.NotEqual(root, page);
        OverwritePage(file, page);
    }

    // After long use the first live id is past 50,000,000, and the leaf of the lowest ids is damaged: the walk steps
    // GiveUpAfter ids from 0, then finds the rows past the damage instead of counting the whole store lost.
    [Fact]
    public void ADamagedFirstLeafAfterLongUseLosesOnlyItsRows()
    {
        using var folder = new TempFolder();
        var file = folder.Combine(SqliteEventStore.FileName);
        using (var database = new SqliteDatabase(file, 50_000_000))
        {
            for (var n = 1; n <= 600; n += 100)
                database.Append(Enumerable.Range(n, 100).Select(Record).ToArray());
        }
        OverwriteFirstLeaf(file);

        var result = StoreSalvage.Run(file, folder.Combine(StoreSalvage.FileName));

        Assert.InRange(result.Salvaged, 550, 599);
        Assert.Equal("event.600", Rows(folder.Combine(StoreSalvage.FileName))[^1].Name);
        Assert.Equal(50_000_600, result.Salvaged + result.Unreadable);
    }

    // A sequence row that says less than the ids there are (damaged) does not end the walk early: the rows past it are
    // copied.
    [Fact]
    public void RowsPastAStaleSequenceAreCopied()
    {
        using var folder = new TempFolder();
        var file = Create(folder, 300);
        Execute(file, "UPDATE sqlite_sequence SET seq = 100 WHERE name = 'events';");

        var result = StoreSalvage.Run(file, folder.Combine(StoreSalvage.FileName));

        Assert.Equal(300, result.Salvaged);
        Assert.Equal(0, result.Lost);
    }

    // The sequence's row gone: the highest id the index still gives bounds the walk, so a walk that gives up can still
    // jump over the damage to the rows past it instead of forgetting them.
    [Fact]
    public void WithoutTheSequenceTheHighestIdBoundsTheWalk()
    {
        using var folder = new TempFolder();
        var file = Create(folder, 600);
        Execute(file, "DELETE FROM sqlite_sequence;");
        OverwriteMiddlePage(file);
        var whole = StoreSalvage.Run(file, folder.Combine("whole.db"));

        var result = StoreSalvage.Run(file, folder.Combine(StoreSalvage.FileName), giveUpAfter: 2);

        Assert.True(whole.Unreadable > 2);
        Assert.Equal(whole.Salvaged, result.Salvaged);
        Assert.Equal(600, result.Salvaged + result.Unreadable);
    }

    // Ids a sender has are its to account for, even where they no longer read: the damaged page's ids, all in flight,
    // are not counted lost, and the rest is salvaged as before.
    [Fact]
    public void UnreadableIdsASenderHasAreNotCounted()
    {
        using var folder = new TempFolder();
        var file = Create(folder, 600);
        OverwriteMiddlePage(file);
        var alone = StoreSalvage.Run(file, folder.Combine("alone.db"));

        var result = StoreSalvage.Run(file, folder.Combine("in-flight.db"), inFlight: id => id >= alone.FirstLostId && id <= alone.LastLostId);

        Assert.True(alone.Unreadable > 0);
        Assert.Equal(0, result.Unreadable);
        Assert.Equal(0, result.Lost);
        Assert.Equal(alone.Salvaged, result.Salvaged);
    }
}
