using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Serilog.Sinks.LogTrace.Buffering;
using Serilog.Sinks.LogTrace.Durable;
using Serilog.Sinks.LogTrace.Records;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Durable;

// A store after Dispose: every call that would touch the file says so (ObjectDisposedException), except the two the
// status reads at any time, which answer "not known" (null). Before it, they answer.
public class SqliteEventStoreLifetimeTests
{
    static BufferRecord Record(int n, RecordKind kind) =>
        new(0, "e." + n, DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000 + n), Encoding.UTF8.GetBytes("{\"name\":\"e." + n + "\"}"), kind: kind);

    static SqliteEventStore Open(TempFolder folder) =>
        SqliteEventStore.Open(folder.Path, new DeadLetterFolder(folder.Path, 1024 * 1024, new FakeTimeProvider()));

    [Fact]
    public void TheStatusReadsAnswerWhileOpen_AndNullOnceDisposed()
    {
        using var folder = new TempFolder();
        var store = Open(folder);
        store.Append(new[] { Record(1, RecordKind.Event), Record(2, RecordKind.AuditLog) });

        Assert.Equal(1, store.CountByKind()![(int)RecordKind.AuditLog]);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_001), store.OldestLoggedAt());

        store.Dispose();
        store.Dispose();

        Assert.Null(store.CountByKind());
        Assert.Null(store.OldestLoggedAt());
    }

    [Fact]
    public void EveryOtherCallAfterDisposeThrowsObjectDisposed()
    {
        using var folder = new TempFolder();
        var store = Open(folder);
        store.Append(new[] { Record(1, RecordKind.Event) });
        var record = store.ReadAfter(0, 10).Single();
        store.Dispose();

        Assert.Throws<ObjectDisposedException>(() => store.ReadMeta(BacklogOwner.EndpointName));
        Assert.Throws<ObjectDisposedException>(() => store.WriteMeta(BacklogOwner.EndpointName, "x"));
        Assert.Throws<ObjectDisposedException>(() => store.Append(new[] { Record(2, RecordKind.Event) }));
        Assert.Throws<ObjectDisposedException>(() => store.ReadAfter(0, 10));
        Assert.Throws<ObjectDisposedException>(() => store.ReadAfter(0, 10, 1 << (int)RecordKind.Event));
        Assert.Throws<ObjectDisposedException>(() => store.Delete(record));
        Assert.Throws<ObjectDisposedException>(() => store.TryRecover(new SqliteException("damaged", 11), 0));
    }

    [Fact]
    public void ReadingWithKindsToSkipLeavesThemOut_AndWithNoneReadsAll()
    {
        using var folder = new TempFolder();
        using var store = Open(folder);
        store.Append(new[] { Record(1, RecordKind.Event), Record(2, RecordKind.AuditLog), Record(3, RecordKind.Event) });

        Assert.Equal(new[] { "e.2" }, store.ReadAfter(0, 10, 1 << (int)RecordKind.Event).Select(r => r.Name));
        Assert.Equal(new[] { "e.1", "e.2", "e.3" }, store.ReadAfter(0, 10, 0).Select(r => r.Name));
    }
}
