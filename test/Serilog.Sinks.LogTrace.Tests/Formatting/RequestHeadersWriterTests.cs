using System.Text;
using System.Text.Json;
using LogTrace.Collector;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Records;
using static Serilog.Sinks.LogTrace.Tests.Support.Some;

namespace Serilog.Sinks.LogTrace.Tests.Formatting;

// request_headers as the sink writes it, whoever built the RequestHeaders property.
public class RequestHeadersWriterTests
{
    static (string Json, JsonElement Headers) FormatHeaders(IEnumerable<(string Name, string Value)> headers) =>
        FormatHeaders(new DictionaryValue(headers.Select(h =>
            new KeyValuePair<ScalarValue, LogEventPropertyValue>(new ScalarValue(h.Name), new ScalarValue(h.Value)))));

    static (string Json, JsonElement Headers) FormatHeaders(LogEventPropertyValue value)
    {
        var formatter = FormattedBody.Create();
        using var buffers = new FormatBuffers();
        Assert.Equal(FormatOutcome.Formatted, formatter.Format(Event("page.viewed", properties: Prop(LogTraceProperties.RequestHeaders, value)), buffers));
        var json = Encoding.UTF8.GetString(buffers.Body.Span);
        var root = JsonDocument.Parse(json).RootElement.Clone();
        Assert.Equal((202, "Event accepted for processing"), LogTraceCollector.ValidateEvent(root));
        return (json, root.GetProperty("request_details").GetProperty("request_headers"));
    }

    static string? Marker(JsonElement headers) =>
        headers.TryGetProperty(RequestHeadersWriter.TruncatedKey, out var marker) ? marker.GetString() : null;

    [Fact]
    public void TwoThousandHeadersOfOneKilobyteAreCutToTheBlockLimitAndCounted()
    {
        var (json, headers) = FormatHeaders(Enumerable.Range(0, 2000).Select(i => ("X-H" + i, new string('v', 1024))));

        var kept = headers.EnumerateObject().Where(p => p.Name != RequestHeadersWriter.TruncatedKey).ToArray();
        var keptBytes = kept.Sum(p => Encoding.UTF8.GetByteCount(p.Name) + Encoding.UTF8.GetByteCount(p.Value.GetString()!) + 6);
        Assert.InRange(keptBytes, RequestHeadersWriter.MaxBlockBytes - 1100, RequestHeadersWriter.MaxBlockBytes);
        Assert.StartsWith((2000 - kept.Length) + " headers left out", Marker(headers));
        Assert.True(json.Length < 20_000, "body of " + json.Length + " bytes");
    }

    [Fact]
    public void HeadersPastTheCountLimitAndOverlongNamesAreLeftOutAndCounted()
    {
        var many = Enumerable.Range(0, 200).Select(i => ("X-H" + i, "v"));
        var (_, headers) = FormatHeaders(many.Append((new string('n', 257), "v")).Append((new string('m', 256), "kept")));

        Assert.Equal(RequestHeadersWriter.MaxHeaderCount, headers.EnumerateObject().Count(p => p.Name != RequestHeadersWriter.TruncatedKey));
        Assert.Equal("v", headers.GetProperty("X-H127").GetString());
        Assert.False(headers.TryGetProperty("X-H128", out _));
        Assert.StartsWith("74 headers left out: limits of 128 headers, 256-character names and 16384 bytes", Marker(headers));
    }

    [Fact]
    public void AnOverlongNameIsLeftOutEvenWithinTheCount()
    {
        var (json, headers) = FormatHeaders(new[] { (new string('n', 257), "secret-ish"), ("Accept", "text/html") });

        Assert.Equal("text/html", headers.GetProperty("Accept").GetString());
        Assert.Equal("1 headers left out: limits of 128 headers, 256-character names and 16384 bytes", Marker(headers));
        Assert.DoesNotContain("secret-ish", json);
    }

    [Fact]
    public void TheMarkerOfWhoeverCapturedTheHeadersIsKeptAndLast()
    {
        var (_, headers) = FormatHeaders(new[] { ("_truncated", "3 headers left out: captured"), ("Accept", "text/html") });

        Assert.Equal(new[] { "Accept", "_truncated" }, headers.EnumerateObject().Select(p => p.Name));
        Assert.Equal("3 headers left out: captured", Marker(headers));

        var (_, cutAgain) = FormatHeaders(Enumerable.Range(0, 130).Select(i => ("X-H" + i, "v")).Prepend(("_truncated", "3 headers left out: captured")));
        Assert.Equal("2 headers left out: limits of 128 headers, 256-character names and 16384 bytes; 3 headers left out: captured", Marker(cutAgain));
    }

    [Theory]
    [InlineData("X-Amz-Security-Token")]
    [InlineData("x-goog-api-key")]
    [InlineData("Ocp-Apim-Subscription-Key")]
    [InlineData("X-Access-Token")]
    [InlineData("X-Refresh-Token")]
    [InlineData("X-Session-Token")]
    [InlineData("X-Api-Token")]
    [InlineData("X-Forwarded-Authorization")]
    [InlineData("X-MS-TOKEN-AAD-ID-TOKEN")]
    [InlineData("X_Api_Key")]
    [InlineData("x_auth_token")]
    public void CredentialHeadersAreRedacted(string name)
    {
        var (json, headers) = FormatHeaders(new[] { (name, "credential-value") });

        Assert.Equal("[REDACTED]", headers.GetProperty(name).GetString());
        Assert.DoesNotContain("credential-value", json);
    }

    // Each header costs its name, its value and 6 bytes: headers that fill the block exactly are all kept, and one
    // byte more leaves the last out.
    [Fact]
    public void HeadersThatExactlyFillTheBlockAreAllKept()
    {
        var first = ("X-A", new string('a', 8_000));
        var last = RequestHeadersWriter.MaxBlockBytes - (3 + 8_000 + 6) - (3 + 6);

        var (_, exact) = FormatHeaders([first, ("X-B", new string('b', last))]);
        var (_, over) = FormatHeaders([first, ("X-B", new string('b', last + 1))]);

        Assert.Equal(last, exact.GetProperty("X-B").GetString()!.Length);
        Assert.Null(Marker(exact));
        Assert.False(over.TryGetProperty("X-B", out _));
        Assert.StartsWith("1 headers left out", Marker(over));
    }

    // A hand-built headers property can hold nulls: a null name is written as "", a null value as "", and a null among
    // a header's values as an empty part.
    [Fact]
    public void NullNamesAndValuesAreWrittenAsEmptyText()
    {
        var value = new DictionaryValue([
            new KeyValuePair<ScalarValue, LogEventPropertyValue>(new ScalarValue(null), new ScalarValue("v")),
            new KeyValuePair<ScalarValue, LogEventPropertyValue>(new ScalarValue("X-Null"), new ScalarValue(null)),
            new KeyValuePair<ScalarValue, LogEventPropertyValue>(new ScalarValue("Accept"), new SequenceValue([new ScalarValue(null), new ScalarValue("b")])),
        ]);

        var (_, headers) = FormatHeaders(value);

        Assert.Equal("v", headers.GetProperty("").GetString());
        Assert.Equal("", headers.GetProperty("X-Null").GetString());
        Assert.Equal(", b", headers.GetProperty("Accept").GetString());
    }
}
