using Serilog.Sinks.LogTrace;
using Serilog.Sinks.LogTrace.Testing;

namespace LogTrace.WorkerSample;

static class SampleReport
{
    // Without an account: did exactly the expected records arrive at the local server, each with its user?
    public static int Check(LogTraceTestServer server, string[] expected)
    {
        var records = server.Records;
        Console.WriteLine($"The local server received {records.Count} records:");
        foreach (var r in records)
            Console.WriteLine($"  {r.Kind,-9} {r.Name,-16} user {r.Body.GetProperty("user_id").GetString()}");
        var ok = records.Select(r => r.Name).OrderBy(n => n).SequenceEqual(expected.OrderBy(n => n)) &&
                 records.All(r => r.Body.GetProperty("user_id").GetString() == "u-1001") &&
                 server.RefusedRequests.Count == 0;
        Console.WriteLine(ok ? "All three records arrived with their user." : "Expected " + string.Join(", ", expected) + ".");
        return ok ? 0 : 1;
    }
}
