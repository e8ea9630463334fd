using System.Text;
using Microsoft.AspNetCore.Http;
using Serilog.Events;
using Serilog.Sinks.LogTrace.AspNetCore;
using Serilog.Sinks.LogTrace.Records;
using static Serilog.Sinks.LogTrace.Tests.AspNetCore.EventJson;

namespace Serilog.Sinks.LogTrace.Tests.AspNetCore;

// The header block each event carries is bounded where it is captured, so queued events hold at most that much.
public class HeaderBoundsTests
{
    static Dictionary<string, string> Captured(IHeaderDictionary headers, LogTraceHttpContextOptions options) =>
        ((DictionaryValue)HeaderCapture.Capture(headers, options).ToPropertyValue()).Elements
            .ToDictionary(e => (string)e.Key.Value!, e => (string)((ScalarValue)e.Value).Value!);

    static int BlockBytes(IEnumerable<KeyValuePair<string, string>> headers) =>
        headers.Where(h => h.Key != "_truncated").Sum(h => Encoding.UTF8.GetByteCount(h.Key) + Encoding.UTF8.GetByteCount(h.Value));

    [Fact]
    public void CountNameLengthAndTotalBytesAreEachBoundedAndWhatIsLeftOutIsCounted()
    {
        var options = new LogTraceHttpContextOptions { MaxHeaderCount = 3, MaxHeaderNameLength = 8, MaxHeaderBlockBytes = 30 };
        var headers = new HeaderDictionary
        {
            ["X-Long-Name"] = "v",      // name over 8 characters
            ["X-A"] = "aaaa",           // 7 bytes
            ["X-B"] = new string('b', 30), // would pass 30 bytes
            ["X-C"] = "cccc",           // 7 bytes
            ["X-D"] = "dddd",           // 7 bytes: the third kept
            ["X-E"] = "e",              // past the count
        };

        var captured = Captured(headers, options);

        Assert.Equal(new[] { "X-A", "X-C", "X-D", "_truncated" }, captured.Keys);
        Assert.Equal("3 headers left out: limits of 3 headers, 8-character names and 30 bytes", captured["_truncated"]);
    }

    [Fact]
    public void NothingIsLeftOutWithinTheLimitsAndTheMarkersNameIsReserved()
    {
        var options = new LogTraceHttpContextOptions();
        Assert.Equal(new[] { "Accept" }, Captured(new HeaderDictionary { ["Accept"] = "text/html" }, options).Keys);

        var spoofed = Captured(new HeaderDictionary { ["_truncated"] = "0 headers left out", ["Accept"] = "text/html" }, options);
        Assert.Equal("1 headers left out: limits of 64 headers, 256-character names and 8192 bytes", spoofed["_truncated"]);
    }

    [Fact]
    public async Task ThirtyHeadersOfAThousandCharactersAreCutToTheBlockLimitOnTheWire()
    {
        await using var app = await TestWebApp.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/plain");
        for (var i = 0; i < 30; i++)
            request.Headers.Add("X-Big-" + i.ToString("00"), new string('v', 1000));

        (await app.Client.SendAsync(request)).Dispose();

        var headers = Details(Single(await app.EventsAsync(1), "plain.event")).GetProperty("request_headers");
        var kept = headers.EnumerateObject().Where(p => p.Name != "_truncated").Select(p => new KeyValuePair<string, string>(p.Name, p.Value.GetString()!)).ToArray();
        Assert.InRange(BlockBytes(kept), 7000, 8192);
        var keptBig = kept.Count(h => h.Key.StartsWith("X-Big-", StringComparison.Ordinal));
        Assert.StartsWith((30 - keptBig) + " headers left out", Text(headers, "_truncated"));
    }

    [Fact]
    public async Task MoreHeadersThanTheCountLimitAreCutAndCounted()
    {
        await using var app = await TestWebApp.StartAsync(o => o.MaxHeaderCount = 10);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/plain");
        for (var i = 0; i < 40; i++)
            request.Headers.Add("X-H-" + i.ToString("00"), "v");

        (await app.Client.SendAsync(request)).Dispose();

        var headers = Details(Single(await app.EventsAsync(1), "plain.event")).GetProperty("request_headers");
        Assert.Equal(10, headers.EnumerateObject().Count(p => p.Name != "_truncated"));
        // 40 of ours and Host.
        Assert.Equal("31 headers left out: limits of 10 headers, 256-character names and 8192 bytes", Text(headers, "_truncated"));
    }

    [Fact]
    public void TheLimitsCannotBeRaisedPastWhatTheSinkSends()
    {
        Assert.Equal(RequestHeadersWriter.MaxHeaderCount, OptionsValidator.SinkMaxHeaderCount);
        Assert.Equal(RequestHeadersWriter.MaxNameLength, OptionsValidator.SinkMaxHeaderNameLength);
        Assert.Equal(RequestHeadersWriter.MaxBlockBytes, OptionsValidator.SinkMaxHeaderBlockBytes);

        OptionsValidator.Validate(new LogTraceHttpContextOptions { MaxHeaderCount = 128, MaxHeaderNameLength = 256, MaxHeaderBlockBytes = 16_384 });
        Assert.Contains("MaxHeaderCount must be between 1 and 128",
            Assert.Throws<InvalidOperationException>(() => OptionsValidator.Validate(new LogTraceHttpContextOptions { MaxHeaderCount = 129 })).Message);
        Assert.Contains("MaxHeaderNameLength", Assert.Throws<InvalidOperationException>(() => OptionsValidator.Validate(new LogTraceHttpContextOptions { MaxHeaderNameLength = 0 })).Message);
        Assert.Contains("MaxHeaderBlockBytes", Assert.Throws<InvalidOperationException>(() => OptionsValidator.Validate(new LogTraceHttpContextOptions { MaxHeaderBlockBytes = 16_385 })).Message);
        Assert.Contains("AttachAfterCompletion", Assert.Throws<InvalidOperationException>(() => OptionsValidator.Validate(new LogTraceHttpContextOptions { AttachAfterCompletion = TimeSpan.FromSeconds(-1) })).Message);
    }
}
