using System.Text.Json;
using Serilog.Sinks.LogTrace.Testing;
using Serilog.Sinks.LogTrace.Testing.Internal;

namespace Serilog.Sinks.LogTrace.Tests.Testing;

// What the server keeps: every request in arrival order, the accepted ones as records, and a signal per change.
public class RequestStoreTests
{
    static LogTraceRequest Request(RequestStore store, LogTraceRecordKind? kind, int status, string? body, string? message = null) =>
        new(kind, "POST", "/v1/developers/x", status, message, DateTimeOffset.UnixEpoch, "r", "127.0.0.1", null, null, null,
            Array.Empty<KeyValuePair<string, string>>(), body ?? "", body == null ? null : JsonDocument.Parse(body).RootElement.Clone());

    [Fact]
    public void OnlyA202OnARecordRouteWithABodyIsAccepted()
    {
        var store = new RequestStore();

        Assert.True(Request(store, LogTraceRecordKind.Event, 202, "{}").Accepted);
        Assert.False(Request(store, LogTraceRecordKind.Event, 400, "{}").Accepted);
        Assert.False(Request(store, LogTraceRecordKind.Event, 0, "{}").Accepted);
        Assert.False(Request(store, null, 202, "{}").Accepted);
        Assert.False(Request(store, LogTraceRecordKind.Event, 202, null).Accepted);
    }

    [Fact]
    public void RecordsAndTheAcceptedListingsKeepOnlyAcceptedRequestsOfTheirKinds()
    {
        var store = new RequestStore();
        store.Add(Request(store, LogTraceRecordKind.Event, 202, """{"name":"a"}"""));
        store.Add(Request(store, LogTraceRecordKind.Event, 400, """{"name":"b"}"""));
        store.Add(Request(store, null, 404, "{}"));
        store.Add(Request(store, LogTraceRecordKind.Session, 202, """{"status":"active"}"""));
        store.Add(Request(store, LogTraceRecordKind.SignOut, 202, """{"token":"t"}"""));

        Assert.Equal(5, store.Requests.Count);
        Assert.Equal(new long[] { 1, 2, 3, 4, 5 }, store.Requests.Select(r => r.Id));
        Assert.Equal(new[] { "Event 'a'", "Session 'active'", "SignOut" }, store.Records.Select(r => r.ToString()));
        Assert.Equal(new long[] { 1 }, store.Accepted(LogTraceRecordKind.Event).Select(r => r.Id));
        Assert.Equal(new long[] { 4, 5 }, store.Accepted(LogTraceRecordKind.Session, LogTraceRecordKind.SignOut).Select(r => r.Id));
        Assert.Empty(store.Accepted(LogTraceRecordKind.AuditLog));
    }

    [Fact]
    public void EveryAddAndEveryClearCompletesTheChangeSignal()
    {
        var store = new RequestStore();
        var beforeAdd = store.Changed;
        Assert.False(beforeAdd.IsCompleted);

        store.Add(Request(store, LogTraceRecordKind.Event, 400, "{}"));
        Assert.True(beforeAdd.IsCompleted);

        var beforeClear = store.Changed;
        Assert.False(beforeClear.IsCompleted);
        store.Clear();
        Assert.True(beforeClear.IsCompleted);
        Assert.False(store.Changed.IsCompleted);
    }

    // Requests are made on many threads and kept in the order they are added: their ids follow that order, so a page
    // that asks for what came after its last id misses none.
    [Fact]
    public void IdsRiseInTheOrderRequestsAreKeptNotMade()
    {
        var store = new RequestStore();
        var madeFirst = Request(store, LogTraceRecordKind.Event, 202, "{}");
        var madeSecond = Request(store, LogTraceRecordKind.Event, 202, "{}");

        store.Add(madeSecond);
        store.Add(madeFirst);

        Assert.Equal(new long[] { 1, 2 }, store.Requests.Select(r => r.Id));
        Assert.Same(madeSecond, store.Requests[0]);
    }

    [Fact]
    public void ClearEmptiesTheStoreAndBumpsTheEpochByOneButKeepsCountingIds()
    {
        var store = new RequestStore();
        store.Add(Request(store, LogTraceRecordKind.Event, 202, "{}"));
        Assert.Equal(0, store.Snapshot().Epoch);

        store.Clear();
        store.Clear();

        var (epoch, _, requests) = store.Snapshot();
        Assert.Equal(2, epoch);
        Assert.Equal(2, store.Epoch);
        Assert.Empty(requests);
        Assert.Empty(store.Records);
        // The page asks for what came after the last id it has: ids never repeat, even after a clear.
        var next = Request(store, LogTraceRecordKind.Event, 202, "{}");
        store.Add(next);
        Assert.Equal(2, next.Id);
    }

    [Theory]
    [InlineData(LogTraceRecordKind.Event, """{"name":"invoice.created","status":"x"}""", "invoice.created", "Event 'invoice.created'")]
    [InlineData(LogTraceRecordKind.AuditLog, """{"name":"role.changed"}""", "role.changed", "AuditLog 'role.changed'")]
    [InlineData(LogTraceRecordKind.Session, """{"name":"x","status":"expired"}""", "expired", "Session 'expired'")]
    [InlineData(LogTraceRecordKind.SignOut, """{"name":"x","token":"t"}""", null, "SignOut")]
    [InlineData(LogTraceRecordKind.Event, """{"name":7}""", null, "Event")]
    public void ARecordIsNamedByItsNameOrItsSessionStatus(LogTraceRecordKind kind, string body, string? name, string text)
    {
        var store = new RequestStore();
        var record = new LogTraceRecord(Request(store, kind, 202, body));

        Assert.Equal(kind, record.Kind);
        Assert.Equal(name, record.Name);
        Assert.Equal(text, record.ToString());
        Assert.Equal(body, record.Body.GetRawText());
        Assert.Equal(DateTimeOffset.UnixEpoch, record.ReceivedAt);
    }

    [Fact]
    public void ARequestReadsAsStatusMethodPathAndMessage()
    {
        var store = new RequestStore();
        Assert.Equal("400 POST /v1/developers/x: failed to validate payload", Request(store, LogTraceRecordKind.Event, 400, "{}", "failed to validate payload").ToString());
        Assert.Equal("415 POST /v1/developers/x", Request(store, LogTraceRecordKind.Event, 415, "{}").ToString());
    }

    [Theory]
    [InlineData(LogTraceRecordKind.Event, "event")]
    [InlineData(LogTraceRecordKind.AuditLog, "audit-log")]
    [InlineData(LogTraceRecordKind.Session, "session")]
    [InlineData(LogTraceRecordKind.SignOut, "session-logout")]
    [InlineData(null, "other")]
    public void EachKindHasItsWireName(LogTraceRecordKind? kind, string name) =>
        Assert.Equal(name, Request(new RequestStore(), kind, 202, "{}").KindName);

    static LogTraceRequest Sized(long size) =>
        new(LogTraceRecordKind.Event, "POST", "/v1/developers/events", 202, null, DateTimeOffset.UnixEpoch, "r", "127.0.0.1", null, null, null,
            Array.Empty<KeyValuePair<string, string>>(), "{}", JsonDocument.Parse("{}").RootElement.Clone()) { Size = size };

    [Fact]
    public void PastMaxKeptTheOldestAreLetGoAndCounted_UntilCleared()
    {
        var store = new RequestStore(maxKept: 3);
        for (var n = 0; n < 5; n++)
            store.Add(Sized(10));

        Assert.Equal(new long[] { 3, 4, 5 }, store.Requests.Select(r => r.Id));
        Assert.Equal(2, store.Dropped);
        Assert.Equal(2, store.Snapshot().Dropped);

        store.Clear();
        Assert.Equal(0, store.Dropped);
        store.Add(Sized(10));
        Assert.Equal(new long[] { 6 }, store.Requests.Select(r => r.Id));
    }

    [Fact]
    public void PastTheBodiesBoundTheOldestAreLetGo_ButTheNewestIsKeptHoweverLarge()
    {
        var store = new RequestStore(maxKept: 100, maxKeptBytes: 1000);
        store.Add(Sized(400));
        store.Add(Sized(400));
        Assert.Equal(0, store.Dropped);
        // 1,200 bytes: the oldest goes, 800 remain.
        store.Add(Sized(400));
        Assert.Equal(new long[] { 2, 3 }, store.Requests.Select(r => r.Id));
        // Exactly at the bound is within it.
        store.Add(Sized(200));
        Assert.Equal(new long[] { 2, 3, 4 }, store.Requests.Select(r => r.Id));
        // Larger than the bound alone: everything older goes, the request itself stays.
        store.Add(Sized(5000));
        Assert.Equal(new long[] { 5 }, store.Requests.Select(r => r.Id));
        Assert.Equal(4, store.Dropped);
        // What was let go no longer counts against the bound.
        store.Add(Sized(1));
        Assert.Equal(new long[] { 6 }, store.Requests.Select(r => r.Id));
    }
}
