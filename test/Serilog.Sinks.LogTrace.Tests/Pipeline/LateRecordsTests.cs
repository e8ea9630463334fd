using Serilog.Sinks.LogTrace.Pipeline;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Pipeline;

// The records out of their line's order: the earliest is the status's, each counted as often as it was added.
public class LateRecordsTests
{
    static readonly DateTimeOffset At = Some.Timestamp;

    [Fact]
    public void NothingLateHasNoOldest() => Assert.Null(new LateRecords().Oldest);

    [Fact]
    public void TheOldestIsTheEarliestWhateverTheOrderTheyCameIn()
    {
        var late = new LateRecords();
        late.Add(At + TimeSpan.FromMinutes(5));
        late.Add(At);
        late.Add(At + TimeSpan.FromMinutes(1));

        Assert.Equal(At, late.Oldest);
        late.Remove(At);
        Assert.Equal(At + TimeSpan.FromMinutes(1), late.Oldest);
    }

    // Two records logged at the same tick are two: one leaving leaves the other counted.
    [Fact]
    public void RecordsLoggedAtTheSameTimeAreCountedEach()
    {
        var late = new LateRecords();
        late.Add(At);
        late.Add(At);
        late.Add(At + TimeSpan.FromSeconds(1));

        late.Remove(At);
        Assert.Equal(At, late.Oldest);
        late.Remove(At);
        Assert.Equal(At + TimeSpan.FromSeconds(1), late.Oldest);
        late.Remove(At + TimeSpan.FromSeconds(1));
        Assert.Null(late.Oldest);
    }

    // Removing what was never added changes nothing (and never goes below none).
    [Fact]
    public void RemovingWhatIsNotThereChangesNothing()
    {
        var late = new LateRecords();
        late.Remove(At);
        late.Add(At + TimeSpan.FromSeconds(1));
        late.Remove(At);

        Assert.Equal(At + TimeSpan.FromSeconds(1), late.Oldest);
    }

    // In UTC whatever the offset it was logged with, and compared as UTC.
    [Fact]
    public void TheOldestIsInUtc()
    {
        var late = new LateRecords();
        late.Add(new DateTimeOffset(2026, 12, 5, 14, 0, 0, TimeSpan.FromHours(2)));
        late.Add(new DateTimeOffset(2026, 12, 5, 12, 30, 0, TimeSpan.Zero));

        Assert.Equal(new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero), late.Oldest);
        Assert.Equal(TimeSpan.Zero, late.Oldest!.Value.Offset);
    }
}
