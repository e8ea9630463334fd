using System.Globalization;
using Serilog.Sinks.LogTrace.Records;

namespace Serilog.Sinks.LogTrace.Tests.Formatting;

// The integer path for request_duration gives exactly the text of "0.###", or leaves the value to it.
public class DurationTextTests
{
    static string Format(double milliseconds) => milliseconds.ToString("0.###", CultureInfo.InvariantCulture);

    static void AssertSameOrLeft(double milliseconds)
    {
        Span<char> text = stackalloc char[64];
        if (DurationText.TryWrite(milliseconds, text, out var written))
            Assert.True(Format(milliseconds) == text.Slice(0, written).ToString(), $"{milliseconds:R}: {text.Slice(0, written).ToString()} against {Format(milliseconds)}");
    }

    [Fact]
    public void RandomDurationsOfEveryUsualMagnitudeGiveTheFormatsText()
    {
        var random = new Random(20261204);
        var taken = 0;
        Span<char> text = stackalloc char[64];
        for (var i = 0; i < 400_000; i++)
        {
            // Log-uniform from 1e-6 ms to 1e7 ms, and stopwatch-like values (ticks of 100 ns).
            var milliseconds = i % 2 == 0 ? Math.Pow(10, random.NextDouble() * 13 - 6) : random.Next(0, 100_000_000) / 10_000.0;
            AssertSameOrLeft(milliseconds);
            if (DurationText.TryWrite(milliseconds, text, out _))
                taken++;
        }
        // The path is taken for nearly every value, or it would save nothing. A tenth of the 100 ns values end in a
        // half-thousandth exactly (1.2345 ms), which the format decides.
        Assert.True(taken > 370_000, taken + " of 400,000 taken");
    }

    [Fact]
    public void ValuesAroundEveryHalfThousandthGiveTheFormatsTextOrAreLeftToIt()
    {
        for (var k = 0; k < 20_000; k++)
        {
            var half = k / 1000.0 + 0.0005;
            AssertSameOrLeft(half);
            AssertSameOrLeft(Math.BitDecrement(half));
            AssertSameOrLeft(Math.BitIncrement(half));
            AssertSameOrLeft(half + 1e-9);
            AssertSameOrLeft(half - 1e-9);
            AssertSameOrLeft(half + 2e-6);
            AssertSameOrLeft(half - 2e-6);
        }
    }

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(12.5, "12.5")]
    [InlineData(12.25, "12.25")]
    [InlineData(1.001, "1.001")]
    [InlineData(0.0004, "0")]
    [InlineData(0.9999999999999999, "1")]
    [InlineData(1234567.891, "1234567.891")]
    [InlineData(9999999.9994, "9999999.999")]
    [InlineData(100, "100")]
    [InlineData(10.1, "10.1")]
    [InlineData(5e-324, "0")]
    public void KnownValues(double milliseconds, string expected)
    {
        Span<char> text = stackalloc char[64];
        Assert.True(DurationText.TryWrite(milliseconds, text, out var written));
        Assert.Equal(expected, text.Slice(0, written).ToString());
        Assert.Equal(Format(milliseconds), expected);
    }

    [Theory]
    [InlineData(-0.0)]
    [InlineData(-3.0)]
    [InlineData(1.0005)]       // the 15-digit rounding decides: "1.001"
    [InlineData(1e7)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void ValuesItCannotProveAreLeftToTheFormat(double milliseconds)
    {
        Span<char> text = stackalloc char[64];
        Assert.False(DurationText.TryWrite(milliseconds, text, out var written));
        Assert.Equal(0, written);
    }

    [Theory]
    [InlineData(100.0, "100")]
    [InlineData(7.25, "7.25")]
    public void ADestinationOfExactlyTheTextsLengthIsEnoughAndNothingIsWrittenPastIt(double milliseconds, string expected)
    {
        var buffer = new char[expected.Length + 1];
        buffer[^1] = '#';
        Assert.True(DurationText.TryWrite(milliseconds, buffer.AsSpan(0, expected.Length), out var written));
        Assert.Equal(expected, new string(buffer, 0, written));
        Assert.Equal('#', buffer[^1]);
    }

    [Fact]
    public void ADestinationTooShortIsRefused()
    {
        Span<char> text = stackalloc char[4];
        Assert.False(DurationText.TryWrite(12.345, text, out _));
        Assert.True(DurationText.TryWrite(12.3, text, out var written));
        Assert.Equal("12.3", text.Slice(0, written).ToString());
    }
}
