using System.Text.Json;
using System.Text.RegularExpressions;
using Serilog.Sinks.LogTrace.Records;

namespace Serilog.Sinks.LogTrace.Tests.Formatting;

// SessionTokens.Redact over text that quotes a token: as it is, and as JSON writers escape it.
public class SessionTokensTests
{
    static readonly TextSanitizer Text = new(Support.Some.ApiKey, 10_000);

    // What a writer that puts \u escapes in lower-case hex makes of System.Text.Json's text: an escape is a backslash
    // after an even number of backslashes (an escaped backslash followed by "u" is no escape).
    static string LowerCaseHex(string json) => Regex.Replace(json, @"(?<=(?:^|[^\\])(?:\\\\)*)\\u[0-9A-F]{4}", m => m.Value.ToLowerInvariant());

    [Fact]
    public void ATokenAtTheStartOfTheTextIsReplaced() =>
        Assert.Equal("[REDACTED] was refused", SessionTokens.Redact("sess_0123456789abcdef was refused", "sess_0123456789abcdef", Text));

    [Fact]
    public void AnEscapedTokenAtTheStartOfTheTextIsReplaced() =>
        Assert.Equal("[REDACTED] was refused", SessionTokens.Redact("sess\\u002B0123456789 was refused", "sess+0123456789", Text));

    // Only the \u escapes' hex digits are lowered: the token's own letters next to an escape (before it, after it, or
    // after a character that is not an escape, such as an escaped backslash followed by a "u") stay as they are.
    [Theory]
    [InlineData("sessAB+0123456")]
    [InlineData("sess+Z0123456")]
    [InlineData("sessOuABCD+0123")]
    [InlineData("a\\uABCD+xyz0123")]
    [InlineData("TOKEN+ÉTÉ+WITH+CAPITALS")]
    public void ATokenInLowerCaseHexIsReplacedWhateverItsOwnLetters(string token)
    {
        var quoted = "{\"token\":\"" + LowerCaseHex(JsonEncodedText.Encode(token).Value) + "\"}";
        Assert.NotEqual(JsonEncodedText.Encode(token).Value, LowerCaseHex(JsonEncodedText.Encode(token).Value));

        Assert.Equal("{\"token\":\"[REDACTED]\"}", SessionTokens.Redact(quoted, token, Text));
    }

    [Fact]
    public void AShortTokenIsNotSearchedFor() =>
        Assert.Equal("ab+c in text", SessionTokens.Redact("ab+c in text", "ab+c", Text));
}
