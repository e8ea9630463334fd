using System.Threading.Channels;
using Serilog.Sinks.LogTrace.Pipeline;
using Serilog.Sinks.LogTrace.Records;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Pipeline;

// The memory outbox's line of formatted records: a late record is counted from before it joins the line until it
// leaves it, whichever way it leaves; a record the complete line refuses stays with the caller, not counted late.
public class ReadyLineTests
{
    static readonly DateTimeOffset At = Some.Timestamp;

    static FormattedRecord Record(DateTimeOffset loggedAt, bool late) =>
        new(default, RecordKind.Event, "user.login", loggedAt, 10, null, late: late);

    [Fact]
    public async Task ALateRecordIsCountedUntilTheSenderSaysItLeft_AndAnOnTimeOneNever()
    {
        var late = new LateRecords();
        var line = new ReadyLine(late);

        Assert.True(line.TryAdd(Record(At + TimeSpan.FromMinutes(1), late: false)));
        Assert.Null(late.Oldest);
        Assert.True(line.TryAdd(Record(At, late: true)));
        Assert.Equal(At, late.Oldest);
        Assert.Equal(2, line.Count);
        Assert.Equal(At + TimeSpan.FromMinutes(1), line.HeadLoggedAt);

        Assert.False((await line.ReadAsync()).Late);
        var taken = await line.ReadAsync();
        Assert.Equal(At, late.Oldest);
        Assert.Same(taken.Name, line.Left(taken).Name);
        Assert.Null(late.Oldest);
        Assert.Equal(0, line.Count);
        Assert.Null(line.HeadLoggedAt);
    }

    [Fact]
    public void TakeAllEmptiesTheLineInOrder_AndNothingTakenStaysLate()
    {
        var late = new LateRecords();
        var line = new ReadyLine(late);
        line.TryAdd(Record(At + TimeSpan.FromSeconds(1), late: false));
        line.TryAdd(Record(At, late: true));

        var taken = line.TakeAll();

        Assert.Equal([At + TimeSpan.FromSeconds(1), At], taken.Select(r => r.LoggedAt));
        Assert.Null(late.Oldest);
        Assert.Equal(0, line.Count);
        Assert.Empty(line.TakeAll());
    }

    [Fact]
    public async Task ACompleteLineRefusesARecord_WhichIsNotLeftCountedLate_AndTellsItsReadersItIsDone()
    {
        var late = new LateRecords();
        var line = new ReadyLine(late);
        line.TryAdd(Record(At + TimeSpan.FromSeconds(5), late: true));
        line.Complete();

        Assert.False(line.TryAdd(Record(At, late: true)));
        Assert.Equal(At + TimeSpan.FromSeconds(5), late.Oldest);
        Assert.Equal(1, line.Count);

        line.Left(await line.ReadAsync());
        Assert.Null(late.Oldest);
        await Assert.ThrowsAsync<ChannelClosedException>(async () => await line.ReadAsync());
    }
}
