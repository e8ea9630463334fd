using Microsoft.Extensions.Time.Testing;
using Serilog.Sinks.LogTrace.Sending;

namespace Serilog.Sinks.LogTrace.Tests.Pipeline;

// Clock's waits and monotonic deadlines, on clocks whose tick is not TimeSpan's.
public class ClockTests
{
    // A monotonic clock counting milliseconds (TimestampFrequency 1,000), as some platforms' are not 10 MHz.
    sealed class MillisecondClock : TimeProvider
    {
        public long Now;

        public override long TimestampFrequency => 1_000;

        public override long GetTimestamp() => Now;
    }

    // A fake clock that counts the timers it made that are still alive.
    sealed class CountingClock : FakeTimeProvider
    {
        int _alive;

        public int Alive => Volatile.Read(ref _alive);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Interlocked.Increment(ref _alive);
            return new Counted(base.CreateTimer(callback, state, dueTime, period), this);
        }

        sealed class Counted(ITimer inner, CountingClock clock) : ITimer
        {
            int _disposed;

            public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(dueTime, period);

            public void Dispose()
            {
                if (Interlocked.Exchange(ref _disposed, 1) == 0)
                    Interlocked.Decrement(ref clock._alive);
                inner.Dispose();
            }

            public ValueTask DisposeAsync()
            {
                Dispose();
                return default;
            }
        }
    }

    [Fact]
    public void ADeadlineIsCountedInTheClocksOwnTicks()
    {
        var clock = new MillisecondClock { Now = 5_000 };

        var deadline = Clock.TimestampAfter(clock, TimeSpan.FromSeconds(2));
        clock.Now = 6_500;

        Assert.Equal(7_000, deadline);
        Assert.Equal(TimeSpan.FromMilliseconds(500), Clock.Until(clock, deadline));
    }

    [Fact]
    public void AWaitOfNothingOnACancelledTokenIsCancelled()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.True(Clock.Delay(new FakeTimeProvider(), TimeSpan.Zero, cancelled.Token).IsCanceled);
        Assert.True(Clock.Delay(new FakeTimeProvider(), TimeSpan.Zero, default).IsCompletedSuccessfully);
    }

    // A wait longer than MaxDelay ends after MaxDelay (callers check again).
    [Fact]
    public void AWaitLongerThanTheLongestEndsAtTheLongest()
    {
        var time = new FakeTimeProvider();

        var wait = Clock.Delay(time, Clock.MaxDelay + TimeSpan.FromDays(1), default);
        time.Advance(Clock.MaxDelay);

        Assert.True(wait.IsCompletedSuccessfully);
    }

    // A wait that ends with its task releases its timer at once, not when the delay would have passed.
    [Fact]
    public async Task AWaitEndedByItsTaskReleasesItsTimer()
    {
        var time = new CountingClock();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var wait = Clock.WhenAnyOrDelayAsync(time, done.Task, TimeSpan.FromMinutes(5), default);
        Assert.Equal(1, time.Alive);
        done.SetResult();
        await wait;

        Assert.Equal(0, time.Alive);
    }
}
