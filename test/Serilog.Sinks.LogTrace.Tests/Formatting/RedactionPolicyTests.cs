using Serilog.Events;
using Serilog.Sinks.LogTrace.Records;
using static Serilog.Sinks.LogTrace.Tests.Support.Some;

namespace Serilog.Sinks.LogTrace.Tests.Formatting;

// LogTraceRedaction is the one policy: a name added there is redacted on the LogTrace wire (and by the ASP.NET Core
// package when it captures headers), and values are cut the same surrogate-safe way everywhere.
public class RedactionPolicyTests
{
    [Fact]
    public void AHeaderAddedToThePolicyIsRedactedOnTheWire()
    {
        LogTraceRedaction.SensitiveHeaders.Add("X-Wire-Test-Secret");
        var headers = new DictionaryValue(new[]
        {
            new KeyValuePair<ScalarValue, LogEventPropertyValue>(new ScalarValue("x_wire_test_secret"), new ScalarValue("hunter2")),
            new KeyValuePair<ScalarValue, LogEventPropertyValue>(new ScalarValue("Accept"), new ScalarValue("text/html")),
        });

        var body = FormattedBody.Of(Event("user.login", properties: Prop(LogTraceProperties.RequestHeaders, headers)));

        var sent = body.GetProperty("request_details").GetProperty("request_headers");
        Assert.Equal(LogTraceRedaction.Marker, sent.GetProperty("x_wire_test_secret").GetString());
        Assert.Equal("text/html", sent.GetProperty("Accept").GetString());
    }

    [Theory]
    [InlineData("abcdef", 6, "abcdef")]
    [InlineData("abcdefg", 6, "abcdef…[truncated]")]
    [InlineData("abcde\U0001F600", 6, "abcde…[truncated]")]
    [InlineData("abcd\U0001F600", 6, "abcd\U0001F600")]
    [InlineData("abc", 0, "…[truncated]")]
    public void ValuesAreCutWithoutSplittingASurrogatePair(string value, int max, string expected) =>
        Assert.Equal(expected, LogTraceRedaction.Truncate(value, max));

    [Theory]
    [InlineData("Api-Key")]
    [InlineData("X-ApiKey")]
    [InlineData("X-Auth-Key")]
    [InlineData("X-Forwarded-Access-Token")]
    public void MoreCredentialHeadersAreSensitive(string name) => Assert.True(LogTraceRedaction.IsSensitiveHeader(name));

    [Theory]
    [InlineData("Input.Password")]
    [InlineData("user.password")]
    [InlineData("Login.Token")]
    public void DottedModelBindingNamesAreMatchedByTheirLastMember(string name) =>
        Assert.True(LogTraceRedaction.IsSensitiveQueryParameter(name));

    [Fact]
    public void ARefererKeepsItsPageButNotItsTokens() =>
        Assert.Equal("https://app.example/reset?token=[REDACTED]&step=2",
            LogTraceRedaction.RedactHeader("Referer", "https://app.example/reset?token=abc123&step=2"));

    // Every header whose value is a URL keeps its page but not its tokens; another header's value is left as it is.
    [Theory]
    [InlineData("Location", "https://app.example/next?token=[REDACTED]")]
    [InlineData("Content-Location", "https://app.example/next?token=[REDACTED]")]
    [InlineData("X-Next", "https://app.example/next?token=abc123")]
    public void AnyUrlHeaderKeepsItsPageButNotItsTokens(string name, string expected) =>
        Assert.Equal(expected, LogTraceRedaction.RedactHeader(name, "https://app.example/next?token=abc123"));

    [Fact]
    public void ARefererOnTheWireIsRedactedToo()
    {
        var headers = new DictionaryValue(new[]
        {
            new KeyValuePair<ScalarValue, LogEventPropertyValue>(new ScalarValue("Referer"), new ScalarValue("https://app.example/?access_token=abc123")),
        });

        var body = FormattedBody.Of(Event("user.login", properties: Prop(LogTraceProperties.RequestHeaders, headers)));

        Assert.Equal("https://app.example/?access_token=[REDACTED]",
            body.GetProperty("request_details").GetProperty("request_headers").GetProperty("Referer").GetString());
    }

    [Theory]
    [InlineData("999", "999")]
    [InlineData("0x7f.1", "0x7f.1")]
    [InlineData("010.0.0.1", "010.0.0.1")]
    [InlineData("1.2.3", "1.2.3")]
    [InlineData("203.0.113.9:8080", "203.0.113.9")]
    [InlineData("::ffff:203.0.113.42", "203.0.113.42")]
    [InlineData("[2001:db8::1]:443", "2001:db8::1")]
    public void AClientAddressIsNeverInventedFromSomethingThatIsNotOne(string logged, string sent) =>
        Assert.Equal(sent, ClientAddress.Normalize(logged));

    [Fact]
    public void AHandMadeTruncationMarkerIsKeptShort()
    {
        var headers = new DictionaryValue(new[]
        {
            new KeyValuePair<ScalarValue, LogEventPropertyValue>(new ScalarValue("_truncated"), new ScalarValue(new string('m', 10_000))),
        });

        var body = FormattedBody.Of(Event("user.login", properties: Prop(LogTraceProperties.RequestHeaders, headers)));

        var marker = body.GetProperty("request_details").GetProperty("request_headers").GetProperty("_truncated").GetString()!;
        Assert.InRange(marker.Length, 1, 512 + LogTraceRedaction.TruncationMarker.Length);
    }
}
