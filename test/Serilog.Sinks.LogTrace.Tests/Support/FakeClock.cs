using Microsoft.Extensions.Time.Testing;

namespace Serilog.Sinks.LogTrace.Tests.Support;

static class FakeClock
{
    // Moves a fake clock forward in steps until the condition holds: backoff, pacing and hold waits run on it, while
    // the test's own deadline is real time.
    public static async Task AdvanceUntilAsync(this FakeTimeProvider time, Func<bool> condition, string what, TimeSpan step)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!condition())
        {
            if (DateTime.UtcNow > until)
                Assert.Fail("Timed out waiting until " + what);
            time.Advance(step);
            await Task.Delay(2);
        }
    }
}
