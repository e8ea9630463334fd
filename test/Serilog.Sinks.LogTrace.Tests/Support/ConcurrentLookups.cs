namespace Serilog.Sinks.LogTrace.Tests.Support;

// Looks a name up again and again while another thread keeps changing the set, for tests of the redaction lists, which
// the application may change while records are formatted: how many lookups missed, and what a lookup threw.
static class ConcurrentLookups
{
    public static async Task<(long Misses, Exception? Thrown)> WhileChangingAsync(Func<bool> found, Action change, int lookups = 2_000_000)
    {
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
                change();
        });
        long misses = 0;
        Exception? thrown = null;
        try
        {
            for (var i = 0; i < lookups && misses == 0; i++)
            {
                if (!found())
                    misses++;
            }
        }
        catch (Exception ex)
        {
            thrown = ex;
        }
        finally
        {
            stop.Cancel();
            await writer;
        }
        return (misses, thrown);
    }
}
