using Serilog.Sinks.LogTrace.Testing.Internal;

namespace Serilog.Sinks.LogTrace.Tests.Testing;

// The test server reads a body as the service's Go decoder does: a \uD800-\uDFFF escape that is not half of a pair
// becomes \uFFFD inside a string; pairs, other escapes and everything outside strings are left exactly as they are.
// The inputs are JSON text (a C# verbatim string: \u is the six characters of the escape).
public class LoneSurrogateEscapesTests
{
    [Fact]
    public void TextWithoutAnyEscapeIsReturnedAsItIs()
    {
        var json = "{\"name\":\"user.login\"}";
        Assert.Same(json, LoneSurrogateEscapes.Replace(json));
    }

    [Theory]
    // One lone half of either kind, at the start, in the middle, at the end of a string.
    [InlineData(@"{""a"":""\uD800""}", @"{""a"":""\uFFFD""}")]
    [InlineData(@"{""a"":""x\uDE00y""}", @"{""a"":""x\uFFFDy""}")]
    [InlineData(@"{""a"":""\udbff""}", @"{""a"":""\uFFFD""}")]
    // A pair, in either case of hex digits, is kept.
    [InlineData(@"{""a"":""\uD83D\uDE00""}", @"{""a"":""\uD83D\uDE00""}")]
    [InlineData(@"{""a"":""\ud83d\ude00!""}", @"{""a"":""\ud83d\ude00!""}")]
    // A high half followed by something that is not a low half: only the high half is replaced.
    [InlineData(@"{""a"":""\uD83D\u0041""}", @"{""a"":""\uFFFD\u0041""}")]
    [InlineData(@"{""a"":""\uD83D\nabcdefgh""}", @"{""a"":""\uFFFD\nabcdefgh""}")]
    [InlineData(@"{""a"":""\uD83Dabcdefghij""}", @"{""a"":""\uFFFDabcdefghij""}")]
    [InlineData(@"{""a"":""\uD83D\uD83D\uDE00""}", @"{""a"":""\uFFFD\uD83D\uDE00""}")]
    // A low half before a high half is no pair: both are replaced.
    [InlineData(@"{""a"":""\uDE00\uD83D""}", @"{""a"":""\uFFFD\uFFFD""}")]
    // Other escapes are left alone: an escaped backslash before "u" is not an escape of u, an escaped quote does not
    // end the string.
    [InlineData(@"{""a"":""\\uD800""}", @"{""a"":""\\uD800""}")]
    [InlineData(@"{""a"":""x\""\uD800""}", @"{""a"":""x\""\uFFFD""}")]
    [InlineData(@"{""a"":""\u0041\t""}", @"{""a"":""\u0041\t""}")]
    // Each string is found by its own quotes: the second string is a string too.
    [InlineData(@"{""a"":""b"",""c"":""\uD800""}", @"{""a"":""b"",""c"":""\uFFFD""}")]
    // Outside a string nothing is rewritten (not JSON: the parser refuses it as the service would).
    [InlineData(@"[1] \uD800", @"[1] \uD800")]
    [InlineData(@"[""a""] \uD800", @"[""a""] \uD800")]
    // Cut-off text: an escape complete at the very end is read; a partial escape or a lone backslash is kept.
    [InlineData(@"""\uD800", @"""\uFFFD")]
    [InlineData(@"""\uD8", @"""\uD8")]
    [InlineData(@"""\u0041\", @"""\u0041\")]
    [InlineData(@"""\uD83D\uDE0", @"""\uFFFD\uDE0")]
    public void OnlyLoneHalvesInsideStringsAreReplaced(string json, string expected) =>
        Assert.Equal(expected, LoneSurrogateEscapes.Replace(json));
}
