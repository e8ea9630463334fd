namespace Serilog.Sinks.LogTrace.Tests.Support;

// Awaits an observable condition with a deadline instead of sleeping for a guessed time.
static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string what, TimeSpan? deadline = null)
    {
        var until = DateTime.UtcNow + (deadline ?? TimeSpan.FromSeconds(20));
        while (!condition())
        {
            if (DateTime.UtcNow > until)
                Assert.Fail("Timed out waiting until " + what);
            await Task.Delay(10);
        }
    }
}
