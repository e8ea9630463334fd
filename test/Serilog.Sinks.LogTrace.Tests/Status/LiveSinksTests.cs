using Microsoft.Extensions.Configuration;
using Serilog.Sinks.LogTrace.Buffering;
using Serilog.Sinks.LogTrace.Http;
using Serilog.Sinks.LogTrace.Records;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Status;

// LogTraceStatus finds every sink of the process, however it was created, with no reference to it. Each test gives
// its sinks an endpoint of their own: other tests' sinks are live in the same process.
[Collection(SelfLogCollection.Name)]
public class LiveSinksTests
{
    static string UniqueEndpoint() => "https://status-" + Guid.NewGuid().ToString("N") + ".example/v1/developers";

    static LogTraceSinkStatus[] Find(string endpoint) => LogTraceStatus.GetSinks().Where(s => s.Endpoint == endpoint).ToArray();

    [Fact]
    public void ASinkFromAppSettingsIsListedFromItsCreationUntilItIsDisposed()
    {
        var endpoint = UniqueEndpoint();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Serilog:Using:0"] = "Serilog.Sinks.LogTrace",
            ["Serilog:WriteTo:0:Name"] = "LogTrace",
            ["Serilog:WriteTo:0:Args:apiKey"] = Some.ApiKey,
            ["Serilog:WriteTo:0:Args:endpoint"] = endpoint + "/",
        }).Build();

        var logger = new LoggerConfiguration().ReadFrom.Configuration(configuration).CreateLogger();
        var status = Assert.Single(Find(endpoint));
        Assert.Equal(0, status.Sent);
        Assert.False(status.SharesKeyAndEndpoint);

        logger.Dispose();
        Assert.Empty(Find(endpoint));
    }

    [Fact]
    public void TwoSinksWithOneKeyAndEndpointAreSaidOnceAndShownUntilOneGoes()
    {
        var endpoint = UniqueEndpoint();
        using var selfLog = new SelfLogCollector();
        var first = new LoggerConfiguration().WriteTo.LogTrace(Some.ApiKey, endpoint: endpoint).CreateLogger();
        var second = new LoggerConfiguration().WriteTo.LogTrace(Some.ApiKey, endpoint: endpoint).CreateLogger();
        // Another key to the same endpoint is another account: not a duplicate.
        using var third = new LoggerConfiguration().WriteTo.LogTrace("lg_another0123456789abcdef0123456789", endpoint: endpoint).CreateLogger();
        try
        {
            var statuses = Find(endpoint);
            Assert.Equal(3, statuses.Length);
            Assert.Equal(2, statuses.Count(s => s.SharesKeyAndEndpoint));
            var warning = Assert.Single(selfLog.Lines, l => l.Contains("a second LogTrace sink"));
            Assert.Contains(endpoint, warning);
            Assert.Contains("every record logged through both is sent twice, with different _event_ids. Configure the sink once (in code, " +
                "or in the Serilog section of appsettings.json, not both).", warning);
            Assert.DoesNotContain(Some.ApiKey, selfLog.Text);

            second.Dispose();
            Assert.All(Find(endpoint), s => Assert.False(s.SharesKeyAndEndpoint));
        }
        finally
        {
            first.Dispose();
            second.Dispose();
        }
    }

    // A dry run sends nothing: a dry-run sink beside the real one (to see what leaves), or two dry runs without a key,
    // send no record twice, and neither SelfLog nor the status (the health check's Degraded finding) may say so.
    [Fact]
    public void ADryRunSinkSharesNoKeyAndEndpoint()
    {
        var endpoint = UniqueEndpoint();
        using var selfLog = new SelfLogCollector();
        using var real = new LoggerConfiguration().WriteTo.LogTrace(Some.ApiKey, endpoint: endpoint).CreateLogger();
        using var dryRun = new LoggerConfiguration().WriteTo.LogTrace(o =>
        {
            o.ApiKey = Some.ApiKey;
            o.Endpoint = endpoint;
            o.DryRun = true;
            o.DryRunOutput = TextWriter.Null;
        }).CreateLogger();
        using var keyless = new LoggerConfiguration().WriteTo.LogTrace(o =>
        {
            o.Endpoint = endpoint;
            o.DryRun = true;
            o.DryRunOutput = TextWriter.Null;
        }).CreateLogger();
        using var keylessToo = new LoggerConfiguration().WriteTo.LogTrace(o =>
        {
            o.Endpoint = endpoint;
            o.DryRun = true;
            o.DryRunOutput = TextWriter.Null;
        }).CreateLogger();

        var statuses = Find(endpoint);
        Assert.Equal(4, statuses.Length);
        Assert.All(statuses, s => Assert.False(s.SharesKeyAndEndpoint));
        Assert.DoesNotContain(selfLog.Lines, l => l.Contains("a second LogTrace sink"));
    }

    [Fact]
    public async Task ADurableSinkShowsItsBufferAndTheAgeOfItsOldestRecord()
    {
        using var folder = new TempFolder();
        var down = new CollectingLogTraceApi(_ => Task.FromResult(new LogTraceResponse(503, "down")));
        await using var harness = new BufferHarness(folder.Path, down);
        harness.Log(0, 3);
        await harness.Time.AdvanceUntilAsync(() => harness.Sink.Store.Count == 3 && harness.Target.Status(false).Routes[0].LastStatusCode == 503,
            "three records are on disk, and the service answered", TimeSpan.FromMilliseconds(50));

        harness.Time.Advance(TimeSpan.FromMinutes(20));
        var status = harness.Target.Status(false);
        Assert.Equal(3, status.Buffered);
        Assert.Equal(folder.Path, status.BufferPath);
        Assert.Null(status.BufferUnavailable);
        Assert.InRange(status.OldestUndeliveredAge!.Value, TimeSpan.FromMinutes(19), TimeSpan.FromMinutes(21));
        Assert.Equal(503, status.Routes[(int)RecordKind.Event].LastStatusCode);
    }

    [Fact]
    public async Task ABufferHeldByAnotherProcessIsShownAsUnavailable()
    {
        using var folder = new TempFolder();
        using var held = BufferLock.TryAcquire(folder.Path);
        Assert.NotNull(held);
        using var selfLog = new SelfLogCollector();
        await using var harness = new BufferHarness(folder.Path, new CollectingLogTraceApi());

        var status = harness.Target.Status(false);
        Assert.Null(status.Buffered);
        Assert.Equal(folder.Path, status.BufferPath);
        Assert.Contains("in use by another process", status.BufferUnavailable);
    }
}
