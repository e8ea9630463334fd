using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Serilog.Sinks.LogTrace.Buffering;
using Serilog.Sinks.LogTrace.Durable;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Durable;

public class SqliteEventStoreTests
{
    static BufferRecord Record(int n) =>
        new(0, "event." + n, DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000 + n), Encoding.UTF8.GetBytes("{\"name\":\"event." + n + "\"}"));

    static DeadLetterFolder DeadLetters(TempFolder folder) => new(folder.Path, 1024 * 1024, new FakeTimeProvider());

    static SqliteEventStore Open(TempFolder folder) => SqliteEventStore.Open(folder.Path, DeadLetters(folder));

    // Changes the database behind the store's back, as damage on disk would.
    static void Damage(TempFolder folder, string sql)
    {
        using var connection = new SqliteConnection("Data Source=" + folder.Combine(SqliteEventStore.FileName) + ";Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    [Fact]
    public void RecordsComeBackOldestFirstWhole_AndOutliveTheStore()
    {
        using var folder = new TempFolder();
        using (var store = Open(folder))
        {
            store.Append(new[] { Record(1), Record(2) });
            store.Append(new[] { Record(3) });
            var read = store.ReadAfter(0, 10);
            Assert.Equal(new[] { "event.1", "event.2", "event.3" }, read.Select(r => r.Name));
            Assert.Equal("{\"name\":\"event.2\"}", Encoding.UTF8.GetString(read[1].Body));
            Assert.Equal(Record(2).LoggedAt, read[1].LoggedAt);
            Assert.All(read, r => Assert.False(r.Corrupt));
            Assert.Equal(new[] { "event.3" }, store.ReadAfter(read[1].Id, 10).Select(r => r.Name));
            Assert.Equal(new[] { "event.1" }, store.ReadAfter(0, 1).Select(r => r.Name));

            store.Delete(read[0]);
            Assert.Equal(2, store.Count);
            Assert.Equal(Record(2).Size + Record(3).Size, store.Bytes);
        }

        using (var reopened = Open(folder))
        {
            Assert.Equal(2, reopened.Count);
            Assert.Equal(Record(2).Size + Record(3).Size, reopened.Bytes);
            Assert.Equal(new[] { "event.2", "event.3" }, reopened.ReadAfter(0, 10).Select(r => r.Name));
        }
    }

    [Fact]
    public void DeletingARecordTwiceCountsItOnce()
    {
        using var folder = new TempFolder();
        using var store = Open(folder);
        store.Append(new[] { Record(1), Record(2) });
        var first = store.ReadAfter(0, 1)[0];
        store.Delete(first);
        store.Delete(first);
        Assert.Equal(1, store.Count);
        Assert.Equal(Record(2).Size, store.Bytes);
    }

    [Theory]
    [InlineData("UPDATE events SET body = substr(body, 1, 5) WHERE name = 'event.2'")]          // cut short
    [InlineData("UPDATE events SET body = X'00FF00FF' WHERE name = 'event.2'")]                // other bytes
    [InlineData("UPDATE events SET body = 'text, not a blob' WHERE name = 'event.2'")]         // another type
    [InlineData("UPDATE events SET crc = crc + 1 WHERE name = 'event.2'")]                     // the checksum itself
    public void ARecordDamagedOnDiskComesBackCorrupt_BetweenIntactOnes(string damage)
    {
        using var folder = new TempFolder();
        using (var store = Open(folder))
            store.Append(new[] { Record(1), Record(2), Record(3) });
        Damage(folder, damage);

        using var reopened = Open(folder);
        var read = reopened.ReadAfter(0, 10);
        Assert.Equal(new[] { false, true, false }, read.Select(r => r.Corrupt));
        Assert.Equal("{\"name\":\"event.3\"}", Encoding.UTF8.GetString(read[2].Body));
    }

    [Fact]
    public void AFileThatIsNotADatabaseIsMovedToTheDeadLetterFolder_AndANewStoreStarts()
    {
        using var folder = new TempFolder();
        var garbage = Enumerable.Range(0, 8192).Select(i => (byte)(i * 31)).ToArray();
        System.IO.File.WriteAllBytes(folder.Combine(SqliteEventStore.FileName), garbage);

        using var store = Open(folder);

        Assert.Equal(0, store.Count);
        store.Append(new[] { Record(1) });
        Assert.Single(store.ReadAfter(0, 10));
        var movedAside = Directory.GetFiles(folder.Combine(DeadLetterFolder.FolderName));
        var moved = Assert.Single(movedAside, f => f.EndsWith("-unreadable-" + SqliteEventStore.FileName, StringComparison.Ordinal));
        Assert.Equal(garbage, System.IO.File.ReadAllBytes(moved));
    }

    [Fact]
    public void AStoreFoundDamagedWhileRunningMovesItsFileAside_KeepsWhatReads_AndNumbersItAboveTheOldIds()
    {
        using var folder = new TempFolder();
        using var store = Open(folder);
        store.Append(new[] { Record(1), Record(2), Record(3) });

        Assert.Null(store.TryRecover(new SqliteException("disk I/O error", 10), 0));
        Assert.Null(store.TryRecover(new IOException("not SQLite's"), 0));
        Assert.Equal(3, store.Count);

        // Record 2 is with a sender: its sender accounts for it, and it is not copied; nothing else was lost.
        Assert.Equal(0, store.TryRecover(new SqliteException("database disk image is malformed", 11), idsAbove: 1000, inFlight: id => id == 2));
        Assert.Contains(Directory.GetFiles(folder.Combine(DeadLetterFolder.FolderName)), f => f.EndsWith("-unreadable-" + SqliteEventStore.FileName, StringComparison.Ordinal));
        var kept = store.ReadAfter(0, 10);
        Assert.Equal(new[] { "event.1", "event.3" }, kept.Select(r => r.Name));
        // Numbered after every id the old file gave out: a record of it still in flight never meets a new one.
        Assert.Equal(new long[] { 1001, 1002 }, kept.Select(r => r.Id));
        Assert.Equal(2, store.Count);
        store.Append(new[] { Record(4) });
        Assert.Equal(1003, store.ReadAfter(1002, 10).Single().Id);
    }

    [Fact]
    public void AStoreThatCannotBeCreatedFailsNamingTheFolder()
    {
        using var folder = new TempFolder();
        // A folder named like the database file: SQLite cannot open it as one.
        Directory.CreateDirectory(folder.Combine(SqliteEventStore.FileName));

        var error = Assert.Throws<ArgumentException>(() => Open(folder));
        Assert.Contains(folder.Path, error.Message);
        Assert.Equal("bufferPath", error.ParamName);
    }
}
