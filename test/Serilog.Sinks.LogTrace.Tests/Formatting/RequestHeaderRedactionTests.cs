using Serilog.Events;
using Serilog.Sinks.LogTrace.Records;
using static Serilog.Sinks.LogTrace.Tests.Support.Some;

namespace Serilog.Sinks.LogTrace.Tests.Formatting;

// The core formatter's own redaction list, for headers logged as a RequestHeaders property (not only those the
// ASP.NET Core package captures).
public class RequestHeaderRedactionTests
{
    const string SecretValue = "do-not-send-this-value";

    static readonly string[] SensitiveHeaders =
    {
        "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "X-API-Key", "X-Auth-Token", "X-CSRF-Token", "X-XSRF-Token",
    };

    // Each name as written, in lower case and in upper case.
    public static TheoryData<string> SensitiveHeaderNames()
    {
        var data = new TheoryData<string>();
        foreach (var name in SensitiveHeaders)
        {
            data.Add(name);
            data.Add(name.ToLowerInvariant());
            data.Add(name.ToUpperInvariant());
        }
        return data;
    }

    static System.Text.Json.JsonElement RequestHeadersOf(params (string Name, string Value)[] headers)
    {
        var dictionary = new DictionaryValue(headers.Select(h =>
            new KeyValuePair<ScalarValue, LogEventPropertyValue>(new ScalarValue(h.Name), new ScalarValue(h.Value))));
        var body = FormattedBody.Of(Event("user.login", properties: new[] { Prop(LogTraceProperties.RequestHeaders, dictionary) }));
        Assert.DoesNotContain(SecretValue, body.GetRawText());
        return body.GetProperty("request_details").GetProperty("request_headers");
    }

    [Theory]
    [MemberData(nameof(SensitiveHeaderNames))]
    public void ASensitiveRequestHeaderIsRedactedWhateverItsCase(string name)
    {
        var headers = RequestHeadersOf((name, SecretValue), ("Accept", "text/html"));

        Assert.Equal(LogTraceRedaction.Marker, headers.GetProperty(name).GetString());
        Assert.Equal("text/html", headers.GetProperty("Accept").GetString());
    }

    [Theory]
    [InlineData("Accept-Language", "en-GB")]
    [InlineData("X-Request-Id", "abc-123")]
    [InlineData("Referer", "https://shop.example/cart")]
    [InlineData("Authorization-Hint", "none")]
    public void ANonSensitiveRequestHeaderIsKept(string name, string value)
    {
        var headers = RequestHeadersOf((name, value));

        Assert.Equal(value, headers.GetProperty(name).GetString());
    }
}
