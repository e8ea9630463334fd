using Microsoft.Extensions.Time.Testing;
using Serilog.Sinks.LogTrace.Buffering;

namespace Serilog.Sinks.LogTrace.Tests.Durable;

// What the pump and the settling of outcomes share: the ids a sender has, the pass planned for records put back, and
// the ids of a store moved aside while running, from which a new store's ids are numbered.
public class InFlightRecordsTests
{
    static IReadOnlyList<BufferRecord> Ids(params long[] ids) =>
        ids.Select(id => new BufferRecord(id, "e", DateTimeOffset.UnixEpoch, new byte[] { (byte)'{', (byte)'}' })).ToArray();

    static long? RecoverAt(InFlightRecords records, long cursor, out long idsAbove, out long accountedFor, long? lost = 0)
    {
        long above = -1, counted = -1;
        var result = records.Recover(cursor, (a, _, c) =>
        {
            above = a;
            counted = c;
            return lost;
        }, () => { });
        idsAbove = above;
        accountedFor = counted;
        return result;
    }

    [Fact]
    public void ARecordReservedOnceIsNotReservedAgainUntilReleased()
    {
        var records = new InFlightRecords(new FakeTimeProvider());
        var (first, upTo) = records.ReadAndReserve(() => Ids(1, 2, 3), 0);
        Assert.Equal(new long[] { 1, 2, 3 }, first.Select(r => r.Id));
        Assert.Equal(3, upTo);

        records.Release(2);
        var (again, _) = records.ReadAndReserve(() => Ids(1, 2, 3), 0);

        Assert.Equal(new long[] { 2 }, again.Select(r => r.Id));
        // Nothing read: the cursor stays.
        Assert.Equal(7, records.ReadAndReserve(() => Ids(), 7).ReadUpTo);
    }

    // A recovery the writer starts knows no cursor (0): the new store's ids must still follow every id the pump read,
    // even when all of them were delivered and released, or the pump's cursor would pass over the new records.
    [Fact]
    public void ARecoveryWithoutACursorNumbersPastTheHighestIdRead_EvenWhenNoneIsInFlight()
    {
        var records = new InFlightRecords(new FakeTimeProvider());
        records.ReadAndReserve(() => Ids(40, 50), 0);
        // A rescan from the start reads lower ids later: the highest stays.
        records.ReadAndReserve(() => Ids(10, 20), 0);
        foreach (var id in new long[] { 10, 20, 40, 50 })
            records.Release(id);

        RecoverAt(records, 0, out var idsAbove, out var accountedFor);

        Assert.Equal(50, idsAbove);
        Assert.Equal(0, accountedFor);
    }

    [Fact]
    public void ARecoveryWithACursorPastWhatWasReadNumbersPastTheCursor()
    {
        var records = new InFlightRecords(new FakeTimeProvider());
        records.ReadAndReserve(() => Ids(5), 0);
        RecoverAt(records, 90, out var idsAbove, out _);
        Assert.Equal(90, idsAbove);
    }

    // Records a sender has are accounted for by their senders; after a second recovery only those of the file moved
    // aside then count, not those of the first.
    [Fact]
    public void OnlyTheRecordsInFlightFromTheFileBeingReplacedAreAccountedForByTheirSenders()
    {
        var records = new InFlightRecords(new FakeTimeProvider());
        records.ReadAndReserve(() => Ids(1, 2, 3, 4, 5), 0);
        RecoverAt(records, 5, out _, out var first);
        Assert.Equal(5, first);
        Assert.True(records.FromMovedAsideStore(5));
        Assert.False(records.FromMovedAsideStore(6));

        records.ReadAndReserve(() => Ids(6, 7, 8), 5);
        RecoverAt(records, 8, out var idsAbove, out var second);

        Assert.Equal(8, idsAbove);
        Assert.Equal(3, second);
        Assert.True(records.FromMovedAsideStore(8));
    }

    [Fact]
    public void AStoreThatDoesNotRecoverChangesNothing()
    {
        var records = new InFlightRecords(new FakeTimeProvider());
        records.ReadAndReserve(() => Ids(1, 2), 0);
        var recovered = false;

        Assert.Null(records.Recover(2, (_, _, _) => null, () => recovered = true));

        Assert.False(recovered);
        Assert.False(records.FromMovedAsideStore(1));
    }

    [Fact]
    public void TheRecoveredCallbackRunsOnceTheStoreHasRecovered()
    {
        var records = new InFlightRecords(new FakeTimeProvider());
        var recovered = 0;
        Assert.Equal(3, records.Recover(0, (_, _, _) => 3, () => recovered++));
        Assert.Equal(1, recovered);
    }

    [Fact]
    public void APassIsPlannedByTheFirstRecordPutBack_AndIsDueWhenItsTimeComes()
    {
        var time = new FakeTimeProvider();
        var records = new InFlightRecords(time);
        Assert.False(records.RescanDue());
        Assert.True(records.UntilRescan() >= TimeSpan.FromDays(1));

        records.ReadAndReserve(() => Ids(1, 2), 0);
        records.PutBack(1, TimeSpan.FromSeconds(10));
        // A pass already planned is not moved by a later one.
        records.PutBack(2, TimeSpan.FromSeconds(30));
        records.RescanAfter(TimeSpan.FromSeconds(60));
        Assert.Equal(TimeSpan.FromSeconds(10), records.UntilRescan());
        // Put back: the records can be reserved again.
        Assert.Equal(2, records.ReadAndReserve(() => Ids(1, 2), 0).Reserved.Count);

        time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(records.RescanDue());
        time.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(TimeSpan.Zero, records.UntilRescan());
        Assert.True(records.RescanDue());
        // Taken: the next is planned afresh.
        Assert.False(records.RescanDue());
        records.RescanAfter(TimeSpan.FromSeconds(60));
        Assert.Equal(TimeSpan.FromSeconds(60), records.UntilRescan());
    }
}
