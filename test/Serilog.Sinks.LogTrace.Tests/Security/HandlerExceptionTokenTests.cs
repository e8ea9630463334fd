using System.Text.Json;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Security;

// A caller's HttpMessageHandler (a logging or resilience handler, a proxy client) that throws with the body in its
// message quotes the session's token, raw or JSON-escaped: it is replaced in the loss's message, the exception the
// failure listener receives, and SelfLog, as in an echoed answer. Found by a review: only the API key was removed.
[Collection(SelfLogCollection.Name)]
public class HandlerExceptionTokenTests
{
    const string Token = "sess+7f3a9c1e5b2d4f60a1b2";

    [Theory]
    [InlineData("raw")]
    [InlineData("escaped")]
    public async Task ATokenAHandlerExceptionQuotesIsRedacted(string form)
    {
        using var selfLog = new SelfLogCollector();
        var api = new CollectingLogTraceApi((body, _) => throw new HttpRequestException("the proxy refused the request body " +
            (form == "raw" ? body.GetRawText() : JsonSerializer.Serialize(body))));
        await using var harness = new SinkHarness(api, o => o.RetryTimeLimit = TimeSpan.FromSeconds(5));
        await harness.EmitAsync(Some.LogEvent("Signed in", properties: new[]
        {
            Some.Prop(LogTraceProperties.SessionStatus, "active"), Some.Prop(LogTraceProperties.SessionToken, Token),
            Some.Prop(LogTraceProperties.UserName, "jane_doe"),
        }));
        await harness.SettledAsync(1);

        Assert.Equal(1, harness.Counters.LostFor(LossReason.RetryLimit));
        var escaped = JsonEncodedText.Encode(Token).Value;
        var failure = Assert.Single(harness.Failures.Failures);
        var reported = failure.Message + "\n" + failure.Exception + "\n" + selfLog.Text;
        Assert.DoesNotContain(Token, reported);
        Assert.DoesNotContain(escaped, reported);
    }
}
