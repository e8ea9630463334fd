using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Serilog.Sinks.LogTrace.Buffering;
using Serilog.Sinks.LogTrace.Durable;
using Serilog.Sinks.LogTrace.Records;
using Serilog.Sinks.LogTrace.Http;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Durable;

// The durable buffer keeps each record's kind: after a restart, audit logs and sessions still go to their routes.
[Collection(SelfLogCollection.Name)]
public class BufferedRecordKindTests
{
    const string Token = "sess_buffered_0123456789";

    static DeadLetterFolder DeadLetters(string folder) => new(folder, 1 << 20, new FakeTimeProvider());

    // Changes the store's file behind the sink's back (while no store has it open).
    static void Execute(TempFolder folder, string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new SqliteConnection("Data Source=" + folder.Combine(SqliteEventStore.FileName) + ";Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        command.ExecuteNonQuery();
    }

    // One record written, the store's file changed by `sql`, and the record read back by a store opened anew.
    static BufferRecord ReadBackChanged(TempFolder folder, string body, RecordKind kind, string sql, params (string Name, object Value)[] parameters)
    {
        using (var store = SqliteEventStore.Open(folder.Path, DeadLetters(folder.Path)))
            store.Append(new[] { new BufferRecord(0, "x", DateTimeOffset.UnixEpoch, Encoding.UTF8.GetBytes(body), kind: kind) });
        Execute(folder, sql, parameters);
        using var reopened = SqliteEventStore.Open(folder.Path, DeadLetters(folder.Path));
        return reopened.ReadAfter(0, 10).Single();
    }

    static void LogOneOfEach(BufferHarness harness)
    {
        harness.Logger.ForContext(LogTraceProperties.EventName, "user.login").ForContext(LogTraceProperties.UserId, "u1").Information("Event");
        harness.Logger.ForContext(LogTraceProperties.AuditLogName, "invoice.deleted").ForContext(LogTraceProperties.UserId, "u1")
            .Information("Invoice {InvoiceId} deleted", "INV-1");
        harness.Logger.ForContext(LogTraceProperties.SessionStatus, LogTraceSessionStatus.Successful).ForContext(LogTraceProperties.SessionToken, Token)
            .ForContext(LogTraceProperties.UserId, "u1").Information("Signed in");
        harness.Logger.ForContext(LogTraceProperties.SessionStatus, "logout").ForContext(LogTraceProperties.SessionToken, Token).Information("Signed out");
    }

    [Fact]
    public async Task BufferedAuditLogsAndSessionsAreDeliveredToTheirRoutesAfterARestart()
    {
        using var folder = new TempFolder();
        using var selfLog = new SelfLogCollector();
        var down = new CollectingLogTraceApi(_ => Task.FromResult(new LogTraceResponse(503, "down")));
        await using (var first = new BufferHarness(folder.Path, down, o => o.ShutdownTimeout = TimeSpan.FromSeconds(5)))
        {
            LogOneOfEach(first);
            await Eventually.TrueAsync(() => first.Sink.Store.Count == 4, "the 4 records are buffered");
        }

        var up = new CollectingLogTraceApi();
        await using (var second = new BufferHarness(folder.Path, up, o => o.MaxConcurrentRequests = 1))
            await Eventually.TrueAsync(() => second.Counters.Sent == 4, "the 4 buffered records are sent");

        Assert.Equal(new[] { RecordKind.Event, RecordKind.AuditLog, RecordKind.Session, RecordKind.SessionLogout }, up.Requests.Select(r => r.Kind));
        Assert.Equal("{\"token\":\"" + Token + "\"}", up.Requests.Last().Body.GetRawText());
        Assert.DoesNotContain(Token, selfLog.Text);
    }

    [Fact]
    public async Task ARejectedSignOutGoesToTheDeadLetterFolderAndItsReportHasNoToken()
    {
        using var folder = new TempFolder();
        using var selfLog = new SelfLogCollector();
        var api = new CollectingLogTraceApi(body => Task.FromResult(new LogTraceResponse(body.TryGetProperty("token", out _) ? 400 : 202, "failed to validate payload")));
        await using (var harness = new BufferHarness(folder.Path, api))
        {
            LogOneOfEach(harness);
            await Eventually.TrueAsync(() => harness.Counters.Sent == 2 && harness.Counters.Lost == 2, "2 are sent and 2 rejected");
        }

        Assert.Equal(2, Directory.GetFiles(Path.Combine(folder.Path, DeadLetterFolder.FolderName)).Length);
        Assert.Contains(selfLog.Lines, l => l.Contains("LogTrace session \"Successful\" was rejected") || l.Contains("LogTrace session sign-out was rejected"));
        Assert.DoesNotContain(Token, selfLog.Text);
    }

    [Fact]
    public void EachRecordsKindRoundTripsThroughTheStore()
    {
        using var folder = new TempFolder();
        using (var store = SqliteEventStore.Open(folder.Path, DeadLetters(folder.Path)))
        {
            store.Append(Enum.GetValues<RecordKind>().Select(k => new BufferRecord(0, k.ToString(), DateTimeOffset.UnixEpoch, Encoding.UTF8.GetBytes("{}"), kind: k)).ToArray());
        }
        using (var reopened = SqliteEventStore.Open(folder.Path, DeadLetters(folder.Path)))
        {
            var read = reopened.ReadAfter(0, 10);
            Assert.Equal(Enum.GetValues<RecordKind>(), read.Select(r => r.Kind));
            Assert.Equal(Enum.GetNames<RecordKind>(), read.Select(r => r.Name));
        }
    }

    // A buffer written before records had kinds holds events only: it opens, and its records are events.
    [Fact]
    public void ABufferFromBeforeKindsOpensWithItsRecordsAsEvents()
    {
        using var folder = new TempFolder();
        var body = Encoding.UTF8.GetBytes("{\"name\":\"old\"}");
        Execute(folder, "CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, logged_at INTEGER NOT NULL, body BLOB NOT NULL, " +
            "crc INTEGER NOT NULL); INSERT INTO events (name, logged_at, body, crc) VALUES ('old', 0, $body, $crc);",
            ("$body", body), ("$crc", (long)System.IO.Hashing.Crc32.HashToUInt32(body)));

        using var store = SqliteEventStore.Open(folder.Path, DeadLetters(folder.Path));
        var record = Assert.Single(store.ReadAfter(0, 10));
        Assert.Equal(RecordKind.Event, record.Kind);
        Assert.False(record.Corrupt);
        store.Append(new[] { new BufferRecord(0, "new", DateTimeOffset.UnixEpoch, body, kind: RecordKind.AuditLog) });
        Assert.Equal(RecordKind.AuditLog, store.ReadAfter(record.Id, 10).Single().Kind);
    }

    [Fact]
    public void ABufferOfALaterSchemaIsRefusedAtConfigurationNotMisread()
    {
        using var folder = new TempFolder();
        using (var store = SqliteEventStore.Open(folder.Path, DeadLetters(folder.Path)))
            store.Append(new[] { new BufferRecord(0, "x", DateTimeOffset.UnixEpoch, Encoding.UTF8.GetBytes("{}")) });
        Execute(folder, "PRAGMA user_version = 99;");

        var refused = Assert.Throws<ArgumentException>(() => SqliteEventStore.Open(folder.Path, DeadLetters(folder.Path)));
        Assert.Contains("later version", refused.Message);
        Assert.Equal("bufferPath", refused.ParamName);
        // Nothing was moved aside: the later version can still read it.
        Assert.False(Directory.Exists(Path.Combine(folder.Path, DeadLetterFolder.FolderName)) &&
            Directory.GetFiles(Path.Combine(folder.Path, DeadLetterFolder.FolderName)).Length > 0);
    }

    [Fact]
    public void ARowWithAKindThisVersionDoesNotKnowIsReadAsCorrupt_NeverSentToAGuessedRoute()
    {
        using var folder = new TempFolder();
        Assert.True(ReadBackChanged(folder, "{}", RecordKind.Event, "UPDATE events SET kind = 9;").Corrupt);
    }

    // Even with a checksum that matches it (a later version's record, say): a kind outside those this version knows
    // is never cast to a route.
    [Theory]
    [InlineData(-1)]
    [InlineData(4)]
    [InlineData(9)]
    public void ARowWithAKindThisVersionDoesNotKnowIsCorruptEvenWithAMatchingChecksum(long kind)
    {
        Assert.Equal(4, RecordKinds.Count);
        using var folder = new TempFolder();
        var record = ReadBackChanged(folder, "{}", RecordKind.Event, "UPDATE events SET kind = $kind, crc = $crc;",
            ("$kind", kind), ("$crc", (long)StoredRows.Checksum(Encoding.UTF8.GetBytes("{}"), kind)));
        Assert.True(record.Corrupt);
        Assert.Equal(RecordKind.Event, record.Kind);
    }

    // A body that is not a blob (text written over it) is damage, even when its bytes still match the checksum; the
    // bytes are kept, for the dead-letter file.
    [Fact]
    public void ABodyStoredAsTextIsCorruptEvenWithAMatchingChecksum()
    {
        using var folder = new TempFolder();
        var record = ReadBackChanged(folder, "{\"a\":1}", RecordKind.AuditLog, "UPDATE events SET body = CAST(body AS TEXT);");
        Assert.True(record.Corrupt);
        Assert.Equal("{\"a\":1}", Encoding.UTF8.GetString(record.Body));
    }

    // The checksum covers the kind: a kind changed on disk to another valid kind is found, not sent to another route.
    [Fact]
    public void AKindChangedOnDiskToAnotherValidKindIsReadAsCorrupt()
    {
        using var folder = new TempFolder();
        Assert.True(ReadBackChanged(folder, "{}", RecordKind.AuditLog, "UPDATE events SET kind = 2;").Corrupt);
    }
}
