using System;

namespace Serilog.Sinks.LogTrace.Records;

// The text "0.###" (invariant culture) gives a duration in milliseconds, by integer arithmetic where that provably
// gives the same digits: the custom format spends about 150 ns per event parsing its pattern and rounding a digit
// buffer (docs/benchmarks.md).
//
// "0.###" rounds the value to 15 significant digits, then to three decimals, half away from zero. For 0 <= ms < 1e7
// the first rounding moves the value by at most 5e-9 ms (5e-6 thousandths) and the product ms * 1000 is off by at most
// 1e-6; so unless the thousandths lie within 1e-3 of a half, both roundings land on the same thousandth, and
// rounding the product to the nearest integer gives it. Anything else (a value near a half-thousandth like 1.0005,
// negative zero, a negative, huge or non-finite value) is left to the format itself.
static class DurationText
{
    const double Limit = 1e7;
    const double HalfMargin = 1e-3;

    // Writes the digits (no unit) into destination; false when the value is left to the format, or it does not fit.
    public static bool TryWrite(double milliseconds, Span<char> destination, out int written)
    {
        written = 0;
        // The sign bit, so that negative zero ("-0") is left to the format too (double.IsNegative is not in netstandard2.0).
        if (BitConverter.DoubleToInt64Bits(milliseconds) < 0 || !(milliseconds < Limit))
            return false;
        var scaled = milliseconds * 1000;
        var whole = Math.Floor(scaled);
        var fraction = scaled - whole;
        if (Math.Abs(fraction - 0.5) < HalfMargin)
            return false;
        var thousandths = (long)whole + (fraction > 0.5 ? 1 : 0);

        var integer = thousandths / 1000;
        var decimals = (int)(thousandths % 1000);
        // The integer part's digits, at least one.
        var digits = 1;
        for (var rest = integer / 10; rest > 0; rest /= 10)
            digits++;
        var decimalDigits = decimals == 0 ? 0 : decimals % 100 == 0 ? 1 : decimals % 10 == 0 ? 2 : 3;
        var length = digits + (decimalDigits == 0 ? 0 : 1 + decimalDigits);
        if (length > destination.Length)
            return false;

        for (var i = digits - 1; i >= 0; i--)
        {
            destination[i] = (char)('0' + (int)(integer % 10));
            integer /= 10;
        }
        if (decimalDigits > 0)
        {
            destination[digits] = '.';
            var divisor = 100;
            for (var i = 0; i < decimalDigits; i++)
            {
                destination[digits + 1 + i] = (char)('0' + decimals / divisor % 10);
                divisor /= 10;
            }
        }
        written = length;
        return true;
    }
}
