using System.Text;
using Serilog.Sinks.LogTrace.Durable;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Durable;

// A delivered session's token does not linger in the buffer's files (SQLite's secure_delete zeroes the deleted rows).
public class DeliveredSecretsTests
{
    [Fact]
    public async Task NoDeliveredSessionTokenIsLeftInTheBuffersFiles()
    {
        using var folder = new TempFolder();
        var api = new CollectingLogTraceApi();
        var tokens = Enumerable.Range(0, 300).Select(i => "sess_" + i.ToString("D4") + "_" + Guid.NewGuid().ToString("N")).ToArray();
        await using (var harness = new BufferHarness(folder.Path, api))
        {
            foreach (var token in tokens)
            {
                harness.Logger.ForContext(LogTraceProperties.SessionStatus, "successful").ForContext(LogTraceProperties.SessionToken, token)
                    .ForContext(LogTraceProperties.UserId, "u-1").Information("Signed in");
            }
            await harness.Time.AdvanceUntilAsync(() => harness.Counters.Sent == 300 && harness.Sink.Store.Count == 0,
                "the 300 sessions are delivered and removed", TimeSpan.FromMilliseconds(50));

            // While the process runs, and after it closes the store.
            Assert.Equal(0, TokensIn(folder, tokens));
        }
        Assert.Equal(0, TokensIn(folder, tokens));
        Assert.Equal(300, api.Bodies.Count);
    }

    static int TokensIn(TempFolder folder, string[] tokens)
    {
        var text = string.Concat(new[] { SqliteEventStore.FileName, SqliteEventStore.FileName + "-wal" }
            .Select(f => folder.Combine(f))
            .Where(System.IO.File.Exists)
            .Select(f =>
            {
                using var stream = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                return Encoding.Latin1.GetString(copy.ToArray());
            }));
        return tokens.Count(t => text.Contains(t, StringComparison.Ordinal));
    }
}
