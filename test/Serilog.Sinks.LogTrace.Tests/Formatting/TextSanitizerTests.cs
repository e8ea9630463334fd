using Serilog.Sinks.LogTrace.Records;
using static Serilog.Sinks.LogTrace.Tests.Support.Some;

namespace Serilog.Sinks.LogTrace.Tests.Formatting;

public class TextSanitizerTests
{
    const string Marker = LogTraceRedaction.TruncationMarker;
    const string Redacted = LogTraceRedaction.Marker;
    const string Emoji = "\U0001F600"; // one code point, two UTF-16 units: \uD83D\uDE00

    static TextSanitizer Sanitizer(int maxLength = 1000, string? secret = ApiKey) => new(secret, maxLength);

    // Secret redaction

    [Fact]
    public void AValueThatStartsWithTheKeyIsRedacted() =>
        Assert.Equal(Redacted + " was the key", Sanitizer().Clean(ApiKey + " was the key"));

    [Fact]
    public void AValueThatIsExactlyTheKeyIsRedacted() =>
        Assert.Equal(Redacted, Sanitizer().Clean(ApiKey));

    [Fact]
    public void EveryOccurrenceOfTheKeyIsRedacted() =>
        Assert.Equal("a " + Redacted + " b " + Redacted, Sanitizer().Clean("a " + ApiKey + " b " + ApiKey));

    [Fact]
    public void RedactSecretAloneAlsoRedactsAKeyAtTheStart() =>
        Assert.Equal(Redacted + "!", Sanitizer().RedactSecret(ApiKey + "!"));

    // Found by a review: the ASP.NET Core capture cuts a header's value before the sink sees it, so a key across the
    // cut reached the wire as its first 24 characters, which the whole key's replacement cannot find.
    [Theory]
    [InlineData(4)]
    [InlineData(24)]
    [InlineData(-1)]
    public void AValueCutInsideTheKeyLosesThePartBeforeTheCut(int length)
    {
        var part = ApiKey.Substring(0, length < 0 ? ApiKey.Length - 1 : length);
        var cut = "header " + part + Marker;

        Assert.Equal("header " + Redacted + Marker, Sanitizer().Clean(cut));
        Assert.Equal("header " + Redacted + Marker, Sanitizer().RedactSecret(cut));
        Assert.True(Sanitizer().NeedsCleaning(cut.AsSpan()));
    }

    // Found by the review of that fix: Serilog cuts a captured string at Destructure.ToMaximumStringLength with a bare
    // '…', which the rendered message then quotes mid-text.
    [Fact]
    public void APartOfTheKeyBeforeSerilogsCutIsRedactedWhereverItStands()
    {
        var part = ApiKey.Substring(0, 22);
        var message = "Called { Upstream: \"Bearer " + part + "…\", Other: \"x…\" } and " + ApiKey.Substring(0, 5) + "…";

        Assert.Equal("Called { Upstream: \"Bearer " + Redacted + "…\", Other: \"x…\" } and " + Redacted + "…", Sanitizer().Clean(message));
        Assert.True(Sanitizer().NeedsCleaning(message.AsSpan()));
        Assert.Equal("Bearer " + Redacted + "…", Sanitizer().Clean("Bearer " + part + "…"));
        Assert.False(Sanitizer().NeedsCleaning("ordinary… text… lg_…".AsSpan()));
    }

    [Fact]
    public void OnlyACutValueEndingInAPartOfTheKeyOfFourOrMoreIsTouched()
    {
        var three = "header " + ApiKey.Substring(0, 3) + Marker;
        var notCut = "header " + ApiKey.Substring(0, 10);
        var elsewhere = "header " + ApiKey.Substring(0, 10) + " and more" + Marker;

        foreach (var value in new[] { three, notCut, elsewhere })
        {
            Assert.Equal(value, Sanitizer().Clean(value));
            Assert.False(Sanitizer().NeedsCleaning(value.AsSpan()), value);
        }
        Assert.Equal(Redacted + " " + Redacted + Marker, Sanitizer().Clean(ApiKey + " " + ApiKey.Substring(0, 8) + Marker));
        Assert.Equal(Marker, Sanitizer().Clean(Marker));
        Assert.Equal("x" + Marker, Sanitizer(secret: null).Clean("x" + Marker));
    }

    [Fact]
    public void AKeyShorterThanEightCharactersRedactsNothing()
    {
        // A seven-character "key" would otherwise blank out ordinary words wherever they appear.
        var sanitizer = Sanitizer(secret: "passwor");
        Assert.Equal("my passwor is passwor", sanitizer.Clean("my passwor is passwor"));
    }

    [Fact]
    public void AKeyOfExactlyEightCharactersIsRedacted() =>
        Assert.Equal("my " + Redacted, Sanitizer(secret: "password").Clean("my password"));

    [Fact]
    public void WithoutAKeyNothingIsRedacted() =>
        Assert.Equal("lg_anything", Sanitizer(secret: null).Clean("lg_anything"));

    [Fact]
    public void AKeyThatStraddlesTheLengthLimitIsRedactedBeforeTheCut()
    {
        // Cutting first would leave the key's first characters in the body.
        var cleaned = Sanitizer(maxLength: 10).Clean("12345" + ApiKey);
        Assert.Equal("12345" + Redacted.Substring(0, 5) + Marker, cleaned);
    }

    // Lone surrogates (Utf8JsonWriter throws on them)

    [Fact]
    public void ALoneHighSurrogateAtIndexZeroIsReplaced() =>
        Assert.Equal("\uFFFDabc", Sanitizer().Clean("\uD800abc"));

    [Fact]
    public void ALoneLowSurrogateAtIndexZeroIsReplaced() =>
        Assert.Equal("\uFFFDabc", Sanitizer().Clean("\uDC00abc"));

    [Fact]
    public void ATrailingLoneHighSurrogateIsReplaced() =>
        Assert.Equal("abc\uFFFD", Sanitizer().Clean("abc\uD800"));

    [Fact]
    public void AStringThatIsOneLoneSurrogateIsReplaced() =>
        Assert.Equal("\uFFFD", Sanitizer().Clean("\uD800"));

    [Fact]
    public void TwoLoneSurrogatesInOneStringAreBothReplaced() =>
        Assert.Equal("a\uFFFDb\uFFFDc", Sanitizer().Clean("a\uDC00b\uD800c"));

    [Fact]
    public void ALoneSurrogateAfterAValidPairIsReplacedAndThePairKept() =>
        Assert.Equal(Emoji + "\uFFFD", Sanitizer().Clean(Emoji + "\uDC00"));

    [Fact]
    public void AHighSurrogateFollowedByAValidPairIsReplacedAndThePairKept() =>
        Assert.Equal("\uFFFD" + Emoji, Sanitizer().Clean("\uD800" + Emoji));

    [Fact]
    public void ValidPairsAreKeptUnchanged()
    {
        var value = "x" + Emoji + Emoji + "y";
        Assert.Same(value, Sanitizer().Clean(value));
    }

    [Fact]
    public void ReversedHalvesOfAPairAreBothReplaced() =>
        Assert.Equal("\uFFFD\uFFFD", Sanitizer().Clean("\uDE00\uD83D"));

    // The length limit

    [Fact]
    public void AValueOfExactlyTheLimitIsNotCut() =>
        Assert.Equal("abcde", Sanitizer(maxLength: 5).Clean("abcde"));

    [Fact]
    public void AValueOneOverTheLimitIsCutWithTheMarker() =>
        Assert.Equal("abcde" + Marker, Sanitizer(maxLength: 5).Clean("abcdef"));

    [Fact]
    public void APairStraddlingTheCutIsNotSplit()
    {
        // "abcd" + high + low: the limit of 5 falls between the two halves, so the whole pair goes.
        Assert.Equal("abcd" + Marker, Sanitizer(maxLength: 5).Clean("abcd" + Emoji + "z"));
    }

    [Fact]
    public void APairEndingExactlyAtTheCutIsKept() =>
        Assert.Equal("abcd" + Emoji + Marker, Sanitizer(maxLength: 6).Clean("abcd" + Emoji + "z"));

    [Fact]
    public void APairThatIsTheWholeValueAtTheLimitIsNotCut() =>
        Assert.Equal("abcd" + Emoji, Sanitizer(maxLength: 6).Clean("abcd" + Emoji));

    [Fact]
    public void APairAtTheStartStraddlingALimitOfOneLeavesOnlyTheMarker() =>
        Assert.Equal(Marker, Sanitizer(maxLength: 1).Clean(Emoji + "abc"));

    [Fact]
    public void ALimitOfZeroLeavesOnlyTheMarker() =>
        Assert.Equal(Marker, Sanitizer(maxLength: 0).Clean("abc"));
}
