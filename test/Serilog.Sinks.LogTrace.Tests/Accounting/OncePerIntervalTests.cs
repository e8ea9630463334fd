using Microsoft.Extensions.Time.Testing;
using Serilog.Sinks.LogTrace.Accounting;

namespace Serilog.Sinks.LogTrace.Tests.Accounting;

// The reports' throttle: the first report goes through, the next only once LossReporter.Interval has passed on the
// monotonic clock; IsOpenAt tells, for a clock reading the caller already has, whether one would, using nothing up.
public class OncePerIntervalTests
{
    [Fact]
    public void TheFirstReportGoesThroughAndTheNextWaitsExactlyTheInterval()
    {
        var time = new FakeTimeProvider();
        var throttle = new OncePerInterval(time);

        Assert.True(throttle.IsOpenAt(time.GetTimestamp()));
        Assert.True(throttle.IsOpenAt(long.MinValue + 1));
        Assert.True(throttle.Allow());
        // FakeTimeProvider's timestamp counts TimeSpan ticks.
        var opens = time.GetTimestamp() + LossReporter.Interval.Ticks;

        Assert.False(throttle.Allow());
        Assert.False(throttle.IsOpenAt(time.GetTimestamp()));
        Assert.False(throttle.IsOpenAt(opens - 1));
        Assert.True(throttle.IsOpenAt(opens));
        Assert.True(throttle.IsOpenAt(opens + 1));

        time.Advance(LossReporter.Interval - TimeSpan.FromTicks(1));
        Assert.False(throttle.Allow());
        time.Advance(TimeSpan.FromTicks(1));
        Assert.True(throttle.IsOpenAt(time.GetTimestamp()));
        Assert.True(throttle.Allow());
        Assert.False(throttle.Allow());
    }

    [Fact]
    public void AskingWhetherItIsOpenUsesNothingUp()
    {
        var time = new FakeTimeProvider();
        var throttle = new OncePerInterval(time);

        Assert.True(throttle.IsOpenAt(time.GetTimestamp()));
        Assert.True(throttle.IsOpenAt(time.GetTimestamp()));
        Assert.True(throttle.Allow());
    }
}
