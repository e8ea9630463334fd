using System.Text;
using Serilog.Sinks.LogTrace.Durable;
using Serilog.Sinks.LogTrace.Http;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Durable;

// A backlog belongs to the key and endpoint it was logged under (docs/durable-buffer.md).
[Collection(SelfLogCollection.Name)]
public class BacklogOwnerTests
{
    const string OtherEndpoint = "https://tenant-b.example/v1/developers";
    const string OtherKey = "lg_rotated0123456789abcdef012345678";

    // Three records buffered for the harness's endpoint; `acceptedBefore`: the endpoint accepted one record first.
    static async Task BufferThreeAsync(TempFolder folder, bool acceptedBefore = true)
    {
        var accepted = 0;
        var api = new CollectingLogTraceApi(_ => Task.FromResult(acceptedBefore && Interlocked.Increment(ref accepted) == 1
            ? new LogTraceResponse(202, null)
            : new LogTraceResponse(503, "down")));
        await using var harness = new BufferHarness(folder.Path, api, o => o.ShutdownTimeout = TimeSpan.FromSeconds(1));
        if (acceptedBefore)
        {
            harness.Log(0, 1, name: "first");
            await harness.Time.AdvanceUntilAsync(() => harness.Counters.Sent == 1 && harness.Sink.Store.Count == 0, "the first is accepted",
                TimeSpan.FromMilliseconds(50));
        }
        harness.Log(0, 3, name: "old");
        await harness.Time.AdvanceUntilAsync(() => harness.Sink.Store.Count == 3, "three records are buffered", TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public async Task ABacklogIsHeldFromAnotherEndpointAndSentWhenItsOwnReturns()
    {
        using var folder = new TempFolder();
        await BufferThreeAsync(folder);
        using var selfLog = new SelfLogCollector();

        var other = new CollectingLogTraceApi();
        await using (var elsewhere = new BufferHarness(folder.Path, other, o => o.Endpoint = OtherEndpoint))
        {
            var status = elsewhere.Target.Status(false);
            Assert.Null(status.Buffered);
            Assert.Contains("holds 3 records logged for another endpoint (https://logtrace.example/v1/developers)", status.BufferUnavailable);
            elsewhere.Log(10, 2, name: "new");
            await elsewhere.Time.AdvanceUntilAsync(() => other.Bodies.Count == 2, "the new records are sent from memory", TimeSpan.FromMilliseconds(50));
        }
        Assert.DoesNotContain(other.Bodies, b => b.GetProperty("name").GetString() == "old");
        Assert.Contains(selfLog.Lines, l => l.Contains("is not used: it holds 3 records logged for another endpoint"));

        var own = new CollectingLogTraceApi();
        await using (var back = new BufferHarness(folder.Path, own))
            await back.Time.AdvanceUntilAsync(() => own.Bodies.Count == 3, "the held records go to their own endpoint", TimeSpan.FromMilliseconds(50));
        Assert.All(own.Bodies, b => Assert.Equal("old", b.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task ABacklogForAnEndpointThatNeverAcceptedOneIsSentToTheNewEndpoint()
    {
        using var folder = new TempFolder();
        await BufferThreeAsync(folder, acceptedBefore: false);
        using var selfLog = new SelfLogCollector();

        var fixedApi = new CollectingLogTraceApi();
        await using (var corrected = new BufferHarness(folder.Path, fixedApi, o => o.Endpoint = OtherEndpoint))
        {
            await corrected.Time.AdvanceUntilAsync(() => fixedApi.Bodies.Count == 3, "the backlog goes to the corrected endpoint", TimeSpan.FromMilliseconds(50));
        }
        Assert.Contains(selfLog.Lines, l => l.Contains("were logged for https://logtrace.example/v1/developers, which never accepted a record from this buffer; " +
            "they are sent to " + OtherEndpoint));
    }

    [Fact]
    public async Task ABacklogIsSentWithAChangedKeyAndSaid()
    {
        using var folder = new TempFolder();
        await BufferThreeAsync(folder);
        using var selfLog = new SelfLogCollector();

        var api = new CollectingLogTraceApi();
        await using (var rotated = new BufferHarness(folder.Path, api, o => o.ApiKey = OtherKey))
            await rotated.Time.AdvanceUntilAsync(() => api.Bodies.Count == 3, "the backlog is sent with the new key", TimeSpan.FromMilliseconds(50));

        Assert.Contains(selfLog.Lines, l => l.Contains("the 3 records in the durable buffer at " + folder.Path + " were logged under another API key; " +
            "they are sent with the current one, to the same endpoint https://logtrace.example/v1/developers"));
        Assert.DoesNotContain(Some.ApiKey, selfLog.Text);
        Assert.DoesNotContain(OtherKey, selfLog.Text);
    }

    [Fact]
    public async Task TheStoreKeepsAHashOfTheKeyNeverTheKey()
    {
        using var folder = new TempFolder();
        await BufferThreeAsync(folder);
        var bytes = System.IO.File.ReadAllBytes(folder.Combine(SqliteEventStore.FileName));
        var text = Encoding.Latin1.GetString(bytes);
        Assert.DoesNotContain(Some.ApiKey, text);
        Assert.Contains(BacklogOwner.KeyHash(Some.ApiKey), text);
        Assert.Contains("https://logtrace.example/v1/developers", text);
    }

    [Fact]
    public void TheKeysHashIsItsSha256InLowercaseHex() =>
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", BacklogOwner.KeyHash("abc"));

    [Fact]
    public async Task AnEmptiedStoreOfAnotherEndpointIsTakenAsItIs()
    {
        using var folder = new TempFolder();
        await using (var other = new BufferHarness(folder.Path, new CollectingLogTraceApi(), o => o.Endpoint = OtherEndpoint))
        {
            other.Log(0, 2, name: "theirs");
            await other.Time.AdvanceUntilAsync(() => other.Counters.Sent == 2 && other.Sink.Store.Count == 0, "the other endpoint accepts every record",
                TimeSpan.FromMilliseconds(50));
        }
        using var selfLog = new SelfLogCollector();

        var api = new CollectingLogTraceApi();
        await using var harness = new BufferHarness(folder.Path, api);
        var status = harness.Target.Status(false);
        Assert.Null(status.BufferUnavailable);
        Assert.Equal(0, status.Buffered);
        harness.Log(0, 1, name: "mine");
        await harness.Time.AdvanceUntilAsync(() => api.Bodies.Count == 1, "the record goes through the buffer", TimeSpan.FromMilliseconds(50));
        Assert.DoesNotContain(selfLog.Lines, l => l.Contains("another endpoint") || l.Contains("another API key") || l.Contains("never accepted"));
    }

    [Fact]
    public async Task AStoreWrittenBeforeOwnersWereKeptTakesTheCurrentOnesSilently()
    {
        using var folder = new TempFolder();
        using (var store = SqliteEventStore.Open(folder.Path, new Serilog.Sinks.LogTrace.Buffering.DeadLetterFolder(folder.Path, 1 << 20,
                   new Microsoft.Extensions.Time.Testing.FakeTimeProvider())))
        {
            store.Append(new[]
            {
                new Serilog.Sinks.LogTrace.Buffering.BufferRecord(0, "old", DateTimeOffset.UtcNow,
                    Encoding.UTF8.GetBytes("{\"name\":\"old\",\"metadata\":{\"_event_id\":\"old-1\"}}")),
            });
            Assert.Null(store.ReadMeta(BacklogOwner.KeyHashName));
        }
        using var selfLog = new SelfLogCollector();

        var api = new CollectingLogTraceApi();
        await using (var harness = new BufferHarness(folder.Path, api))
            await harness.Time.AdvanceUntilAsync(() => api.Bodies.Count == 1, "the old record is sent", TimeSpan.FromMilliseconds(50));
        Assert.DoesNotContain(selfLog.Lines, l => l.Contains("another API key") || l.Contains("never accepted"));
        using var reopened = SqliteEventStore.Open(folder.Path, new Serilog.Sinks.LogTrace.Buffering.DeadLetterFolder(folder.Path, 1 << 20,
            new Microsoft.Extensions.Time.Testing.FakeTimeProvider()));
        Assert.Equal(BacklogOwner.KeyHash(Some.ApiKey), reopened.ReadMeta(BacklogOwner.KeyHashName));
    }
}
