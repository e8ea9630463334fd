using System.Text;
using Microsoft.Data.Sqlite;
using Serilog.Sinks.LogTrace.Buffering;
using Serilog.Sinks.LogTrace.Durable;
using Serilog.Sinks.LogTrace.Records;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Durable;

// One open events.db as docs/durable-buffer.md describes it: write-ahead log, no -shm file, held by one connection,
// commits that survive the process, delivered bytes zeroed, the schema's version written, and the -wal truncated
// every DeletesPerCheckpoint deletes and whenever the store empties.
public class SqliteDatabaseTests
{
    static BufferRecord Record(int n, RecordKind kind = RecordKind.Event) =>
        new(0, "event." + n, DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000 + n), Encoding.UTF8.GetBytes("{\"name\":\"event." + n + "\"}"), kind: kind);

    static long WalLength(string file) => new FileInfo(file + "-wal").Length;

    [Fact]
    public void TheStoreRunsInWalModeWithTheIndexInMemory_HoldingItsFileAlone()
    {
        using var folder = new TempFolder();
        var file = folder.Combine(SqliteEventStore.FileName);
        using var database = new SqliteDatabase(file);
        database.Append(new[] { Record(1) });

        Assert.Equal("wal", database.Scalar("PRAGMA journal_mode;"));
        Assert.True(WalLength(file) > 0);
        Assert.False(System.IO.File.Exists(file + "-shm"));
        Assert.Equal("exclusive", database.Scalar("PRAGMA locking_mode;"));
    }

    [Fact]
    public void CommitsSurviveTheProcess_DeletedBytesAreZeroed_AndTheSchemaVersionIsWritten()
    {
        using var folder = new TempFolder();
        using var database = new SqliteDatabase(folder.Combine(SqliteEventStore.FileName));

        Assert.Equal(1L, database.Scalar("PRAGMA synchronous;"));     // NORMAL
        Assert.Equal(1L, database.Scalar("PRAGMA secure_delete;"));
        Assert.Equal((long)SqliteDatabase.SchemaVersion, database.Scalar("PRAGMA user_version;"));
    }

    [Fact]
    public void TheWalIsTruncatedWhenTheStoreEmpties()
    {
        using var folder = new TempFolder();
        var file = folder.Combine(SqliteEventStore.FileName);
        using var database = new SqliteDatabase(file);
        database.Append(new[] { Record(1), Record(2) });
        var records = database.ReadAfter(0, 10);

        database.Delete(records[0]);
        Assert.True(WalLength(file) > 0);
        database.Delete(records[1]);

        Assert.Equal(0, database.Count);
        Assert.Equal(0, WalLength(file));
    }

    [Fact]
    public void TheWalIsTruncatedEveryThousandDeletes_NotBefore()
    {
        using var folder = new TempFolder();
        var file = folder.Combine(SqliteEventStore.FileName);
        using var database = new SqliteDatabase(file);
        database.Append(Enumerable.Range(1, SqliteDatabase.DeletesPerCheckpoint + 10).Select(n => Record(n)).ToArray());
        var records = database.ReadAfter(0, SqliteDatabase.DeletesPerCheckpoint + 10);

        for (var i = 0; i < SqliteDatabase.DeletesPerCheckpoint - 1; i++)
            database.Delete(records[i]);
        Assert.True(WalLength(file) > 0);

        database.Delete(records[SqliteDatabase.DeletesPerCheckpoint - 1]);
        Assert.Equal(0, WalLength(file));
        Assert.Equal(10, database.Count);

        // Counted again from there: the next delete writes to the -wal and leaves it.
        database.Delete(records[SqliteDatabase.DeletesPerCheckpoint]);
        Assert.True(WalLength(file) > 0);
    }

    [Theory]
    [InlineData("'text'")]
    [InlineData("1.5")]
    [InlineData("-1")]
    [InlineData("9")]
    public void ARowWhoseKindIsNotAKnownIntegerIsReadCorrupt_AndCountedUnderNoKind(string kind)
    {
        using var folder = new TempFolder();
        var file = folder.Combine(SqliteEventStore.FileName);
        using (var database = new SqliteDatabase(file))
            database.Append(new[] { Record(1), Record(2, RecordKind.AuditLog), Record(3, RecordKind.AuditLog) });
        using (var connection = new SqliteConnection("Data Source=" + file + ";Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE events SET kind = " + kind + " WHERE name = 'event.3';";
            command.ExecuteNonQuery();
        }

        using var reopened = new SqliteDatabase(file);
        var read = reopened.ReadAfter(0, 10);
        Assert.Equal(new[] { false, false, true }, read.Select(r => r.Corrupt));
        Assert.Equal(RecordKind.Event, read[2].Kind);
        var counts = reopened.CountByKind();
        Assert.Equal(1, counts[(int)RecordKind.Event]);
        Assert.Equal(1, counts[(int)RecordKind.AuditLog]);
        Assert.Equal(2, counts.Sum());
        // Skipping audit logs still reads the damaged row: it is damage, not an audit log.
        Assert.Equal(new[] { "event.1", "event.3" }, reopened.ReadAfter(0, 10, 1 << (int)RecordKind.AuditLog).Select(r => r.Name));
    }

    [Fact]
    public void AnEmptyStoreCountsNothing_AndHasNoOldest()
    {
        using var folder = new TempFolder();
        using var database = new SqliteDatabase(folder.Combine(SqliteEventStore.FileName));

        Assert.All(database.CountByKind(), c => Assert.Equal(0, c));
        Assert.Null(database.OldestLoggedAt());
        database.Append(new[] { Record(7), Record(8) });
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_007), database.OldestLoggedAt());
    }
}
