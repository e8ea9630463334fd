using Serilog.Debugging;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Accounting;

// SelfLog's output is the application's, and may throw (a TextWriter over a full disk, a closed stream); Serilog lets
// that through. A loss reported while it does is still counted once, its record finished once, and the sink goes on
// (QuietSelfLog). Found by an adversarial review: before, the record was finished twice (queued -1, counted both
// dropped_by_hook and invalid) and the formatting loop ended, so nothing was sent again.
[Collection(SelfLogCollection.Name)]
public class ThrowingSelfLogTests
{
    [Fact]
    public async Task ALossReportedWhileSelfLogThrowsIsCountedOnce_AndTheSinkGoesOn()
    {
        SelfLog.Enable(_ => throw new IOException("No space left on device"));
        try
        {
            await using var harness = new SinkHarness(configure: o => o.BeforeSend = r => r.Body["name"]!.GetValue<string>() != "drop.me", listen: false);
            await harness.EmitAsync(Some.Event("drop.me"));
            await Eventually.TrueAsync(() => harness.Counters.Lost >= 1, "the dropped record is counted");

            await harness.EmitAsync(Some.Event("user.login"));
            await harness.AdvanceUntilAsync(() => harness.Counters.Sent == 1, "the next record is delivered");

            Assert.Equal("queued 0, dropped_by_hook 1, invalid 0",
                "queued " + harness.Counters.Queued + ", dropped_by_hook " + harness.Counters.LostFor(LossReason.DroppedByHook) +
                ", invalid " + harness.Counters.LostFor(LossReason.Invalid));
        }
        finally
        {
            SelfLog.Disable();
        }
    }

    // The durable buffer's writer says a write failure through SelfLog, before it sends the batch from memory: a
    // SelfLog that throws there left the batch neither sent nor counted, and ended the writer, so nothing logged after
    // was written or sent. Each record is now sent from memory and the writer goes on.
    [Fact]
    public async Task AWriteFailureSaidWhileSelfLogThrowsStillSendsFromMemory_AndTheWriterGoesOn()
    {
        using var folder = new TempFolder();
        var api = new CollectingLogTraceApi();
        var stores = new ScriptedStores(s => s.FailAppends = new IOException("No space left on device"));
        SelfLog.Enable(_ => throw new IOException("No space left on device"));
        try
        {
            await using var harness = new BufferHarness(folder.Path, api, stores: stores);
            harness.Log(0, 2);
            await Eventually.TrueAsync(() => harness.Counters.Sent == 2, "the first two are sent from memory");
            harness.Log(2, 1);
            await Eventually.TrueAsync(() => harness.Counters.Sent == 3, "the writer goes on");

            Assert.Equal("queued 0, lost 0", "queued " + harness.Counters.Queued + ", lost " + harness.Counters.Lost);
        }
        finally
        {
            SelfLog.Disable();
        }
    }
}
