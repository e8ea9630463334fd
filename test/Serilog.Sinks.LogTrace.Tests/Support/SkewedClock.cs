using Microsoft.Extensions.Time.Testing;

namespace Serilog.Sinks.LogTrace.Tests.Support;

// A fake clock whose wall time (GetUtcNow) can be set apart from its monotonic time (GetTimestamp), as a client clock
// that runs slow, or one that NTP steps back, is. FakeTimeProvider itself never goes back in time.
sealed class SkewedClock : TimeProvider
{
    public SkewedClock(DateTimeOffset start) => Fake = new FakeTimeProvider(start);

    public FakeTimeProvider Fake { get; }

    // Added to the wall time only.
    public TimeSpan Skew { get; set; }

    public override DateTimeOffset GetUtcNow() => Fake.GetUtcNow() + Skew;

    public override long GetTimestamp() => Fake.GetTimestamp();

    public override long TimestampFrequency => Fake.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => Fake.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        Fake.CreateTimer(callback, state, dueTime, period);

    public void Advance(TimeSpan by) => Fake.Advance(by);
}
