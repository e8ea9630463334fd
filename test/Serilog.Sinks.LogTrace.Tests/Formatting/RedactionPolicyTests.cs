using Serilog.Events;
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
}
