using System.Text;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Buffering;
using Serilog.Sinks.LogTrace.Durable;
using Serilog.Sinks.LogTrace.Records;
using Serilog.Sinks.LogTrace.Tests.Support;
using static Serilog.Sinks.LogTrace.Tests.Support.TestStores;

namespace Serilog.Sinks.LogTrace.Tests.Durable;

// The durable buffer's byte count (bufferSizeLimitBytes) with names and bodies that are not ASCII: what an append
// adds, a delete takes away and an open counts anew are one figure. Found by a review: an append counted the name in
// UTF-16 code units, a delete and an open in SQLite's characters (up to a NUL), so every delivered record named with
// an emoji left bytes counted, until an empty buffer refused records as buffer_full.
public class BufferBytesAccountingTests
{
    // Names as the sink stores them (the EventName marker's text) and bodies as it formats them: CJK, an emoji, accents,
    // a NUL, JSON escapes.
    static readonly string[] Names = { "购买.完成", "checkout.🛒", "naïve.café", "order.📦.shipped", "plain.ascii", "with.nul\0.inside" };

    static BufferRecord Record(int n)
    {
        var name = Names[n % Names.Length];
        var body = Encoding.UTF8.GetBytes("{\"name\":\"" + name + "\",\"metadata\":{\"note\":\"用户 \\u00e9 \\\"quoted\\\" 🙂 " + n + "\"}}");
        return new BufferRecord(0, name, DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000 + n), body);
    }

    [Fact]
    public void TheBytesGoBackToZeroOnceEveryNonAsciiRecordIsDelivered()
    {
        using var folder = new TempFolder();
        using var store = Open(folder.Path);
        var start = store.Bytes;

        for (var batch = 0; batch < 10; batch++)
            store.Append(Enumerable.Range(batch * 100, 100).Select(Record).ToArray());
        foreach (var record in store.ReadAfter(0, 10_000))
            store.Delete(record);

        Assert.Equal(0, store.Count);
        Assert.Equal(start, store.Bytes);
    }

    // The same records counted while appended and counted again from the file at the next open: one figure.
    [Fact]
    public void TheBytesCountedAtAppendAreTheBytesCountedAtOpen()
    {
        using var folder = new TempFolder();
        long appended;
        using (var store = Open(folder.Path))
        {
            store.Append(Enumerable.Range(0, 1000).Select(Record).ToArray());
            appended = store.Bytes;
        }

        using var reopened = Open(folder.Path);

        Assert.Equal(appended, reopened.Bytes);
    }

    // Near the limit: 600 events named with 50 emoji (100 UTF-16 code units, 50 code points) are delivered, and the buffer
    // is empty; then one event of about 1.03 MB, which fits a 1 MiB buffer that holds nothing, is taken.
    [Fact]
    public async Task AnEmptyBufferTakesARecordThatFits_AfterManyNonAsciiRecordsWereDelivered()
    {
        using var folder = new TempFolder();
        var api = new CollectingLogTraceApi();
        await using var harness = new BufferHarness(folder.Path, api, o =>
        {
            o.BufferSizeLimitBytes = 1024 * 1024;
            o.MaxMetadataBytes = 2_000_000;
            o.MaxStringLength = 2_000_000;
        });
        var emoji = string.Concat(Enumerable.Repeat("🛒", 50));

        harness.Log(1, 600, name: emoji);
        await harness.AdvanceUntilAsync(() => harness.Counters.Sent == 600, "the 600 events are delivered", TimeSpan.FromMilliseconds(50));
        await harness.AdvanceUntilAsync(() => harness.Sink.Store.Count == 0, "the buffer is empty", TimeSpan.FromMilliseconds(50));
        var held = harness.Sink.Store.Bytes;

        harness.Log(601, 1, name: "export.requested", extra: new string('x', 1_030_000));
        await harness.AdvanceUntilAsync(() => harness.Counters.Sent + harness.Counters.Lost == 601, "the large event is sent or lost",
            TimeSpan.FromMilliseconds(50));

        Assert.True(harness.Counters.LostFor(LossReason.BufferFull) == 0,
            "an event was refused buffer_full by an empty buffer, which counted " + held + " bytes held");
        Assert.Equal(601, harness.Counters.Sent);
    }
}
