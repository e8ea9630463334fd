using System.Globalization;
using Xunit.Abstractions;
using LogTrace.Collector;
using Microsoft.Extensions.Time.Testing;
using Serilog.Sinks.LogTrace.Buffering;
using Serilog.Sinks.LogTrace.Durable;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Durable;

// The durable buffer's promises, kept by real processes against the collector on 127.0.0.1: killed with SIGKILL at
// random moments, restarted, and delivering what the previous process left on disk.
// Real processes: left out of mutation runs (Category=Process), which would run them for every mutant.
[Trait("Category", "Process")]
public class CrashAndRestartTests
{
    readonly ITestOutputHelper _output;

    public CrashAndRestartTests(ITestOutputHelper output) => _output = output;

    const int Kills = 20;
    const int MaxConcurrentRequests = 4;

    static int Number(CollectorRequest request) =>
        int.Parse(request.Json().GetProperty("metadata").GetProperty("Number").ToString(), CultureInfo.InvariantCulture);

    static string EventId(CollectorRequest request) => request.Json().GetProperty("metadata").GetProperty("_event_id").GetString()!;

    static long Buffered(string folder)
    {
        using var store = SqliteEventStore.Open(folder, new DeadLetterFolder(folder, 1 << 20, new FakeTimeProvider()));
        Assert.All(store.ReadAfter(0, int.MaxValue), r => Assert.False(r.Corrupt));
        return store.Count;
    }

    [Fact]
    public async Task KilledTwentyTimesInARow_EveryEventLoggedASecondBeforeItsKillArrives_AndOnlyEventsInFlightTwice()
    {
        using var folder = new TempFolder();
        await using var collector = await CollectorHelpers.StartAsync();
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var mustArrive = new HashSet<int>();
        var logged = 0;

        for (var round = 0; round < Kills; round++)
        {
            using var child = BufferChild.Start(folder.Path, collector.DevelopersEndpoint, from: round * 100_000, count: -1, perSecond: 200);
            await child.ReadyAsync();
            // A random moment: while it logs, writes, sends and deletes.
            await Task.Delay(random.Next(1000, 2500));
            var killedAt = DateTime.UtcNow;
            await child.KillAsync();
            foreach (var (number, readAt) in child.Logged)
            {
                logged++;
                if (readAt <= killedAt - TimeSpan.FromSeconds(1))
                    mustArrive.Add(number);
            }
        }

        // The next start delivers what the killed processes left.
        using (var drain = BufferChild.Start(folder.Path, collector.DevelopersEndpoint, from: 0, count: 0, waitStdin: true))
        {
            await drain.ReadyAsync();
            await Eventually.TrueAsync(() => mustArrive.IsSubsetOf(collector.Store.Events.Select(Number)),
                "every event logged a second before its kill has arrived (seed " + seed + ")", TimeSpan.FromSeconds(90));
            await drain.CloseAsync();
        }

        var arrived = collector.Store.Events.GroupBy(Number).ToDictionary(g => g.Key, g => g.ToArray());
        Assert.True(mustArrive.Count >= Kills * 20, "the processes logged " + logged + " events, " + mustArrive.Count + " a second before their kill");
        var missing = mustArrive.Where(n => !arrived.ContainsKey(n)).ToArray();
        Assert.True(missing.Length == 0, missing.Length + " events missing (seed " + seed + ")");
        // A duplicate is a record that was in flight at a kill: the same body, with the same _event_id.
        foreach (var copies in arrived.Values.Where(c => c.Length > 1))
            Assert.Single(copies.Select(EventId).Distinct());
        var duplicates = arrived.Values.Sum(c => c.Length - 1);
        _output.WriteLine("{0} kills (seed {1}): {2} events logged, {3} of them a second before their kill, all arrived; {4} arrived in all, {5} duplicates",
            Kills, seed, logged, mustArrive.Count, arrived.Count, duplicates);
        Assert.True(duplicates <= Kills * MaxConcurrentRequests, duplicates + " duplicates for " + Kills + " kills (seed " + seed + ")");
        Assert.Equal(0, Buffered(folder.Path));
    }

    [Fact]
    public async Task FiveHundredEventsRefusedUntilTheProcessEnds_AreDeliveredExactlyOnceByTheNext()
    {
        using var folder = new TempFolder();
        // A service that refuses every request (an unknown key): nothing can be delivered.
        await using var refusing = await LogTraceCollector.StartAsync(new CollectorOptions { ApiKeys = { "lg_ffffffffffffffffffffffffffffffff" }, RateLimitEnabled = false });
        await using var collector = await CollectorHelpers.StartAsync();

        using (var first = BufferChild.Start(folder.Path, refusing.DevelopersEndpoint, from: 0, count: 500, perSecond: 0, shutdownMs: 1000, waitStdin: true))
        {
            await first.ReadyAsync();
            // The child ends only once the service has refused it: on a loaded machine its first request can take a while.
            await Eventually.TrueAsync(() => refusing.Store.Requests.Count > 0, "the service refused the first request", TimeSpan.FromSeconds(60));
            await first.CloseAsync();
            Assert.Equal(500, first.Logged.Count);
            Assert.Contains("500 events remain in the durable buffer at " + folder.Path, first.ErrorText);
            Assert.DoesNotContain(Some.ApiKey, first.ErrorText);
        }
        Assert.NotEmpty(refusing.Store.Requests);
        Assert.Empty(refusing.Store.Events);
        Assert.Equal(500, Buffered(folder.Path));

        using (var next = BufferChild.Start(folder.Path, collector.DevelopersEndpoint, from: 0, count: 0, waitStdin: true))
        {
            await next.ReadyAsync();
            await Eventually.TrueAsync(() => collector.Store.Events.Count >= 500, "500 events have arrived", TimeSpan.FromSeconds(60));
            await next.CloseAsync();
            Assert.Contains("holds 500 events from an earlier run", next.ErrorText);
        }

        var events = collector.Store.Events;
        Assert.Equal(500, events.Count);
        Assert.Equal(Enumerable.Range(0, 500), events.Select(Number).OrderBy(n => n));
        Assert.Equal(500, events.Select(EventId).Distinct().Count());
        Assert.Equal(0, Buffered(folder.Path));
    }
}
