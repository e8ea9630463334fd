using System;
using Serilog.Debugging;

namespace Serilog.Sinks.LogTrace.Accounting;

// SelfLog's output is the application's (a TextWriter over a full disk, a closed stream), and Serilog lets its
// exceptions through. Every SelfLog line of the sink's packages is written through this (but a dry run's records,
// whose output SelfLog is: a line it cannot take is that record's failure): a line SelfLog cannot take is let go,
// never thrown into the sink's loops, where it would finish a record twice, leave a batch neither sent nor counted, or
// end the loop. The counters still hold every loss.
internal static class QuietSelfLog
{
    public static void WriteLine(string format, object? arg0 = null, object? arg1 = null, object? arg2 = null)
    {
        try
        {
            SelfLog.WriteLine(format, arg0, arg1, arg2);
        }
        catch (Exception)
        {
        }
    }
}
