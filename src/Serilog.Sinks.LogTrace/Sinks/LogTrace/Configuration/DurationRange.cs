using System;
using System.Globalization;

namespace Serilog.Sinks.LogTrace.Configuration;

// The sane range of each duration setting. In appsettings.json a TimeSpan is a string, and a bare number is read as
// days ("period": "5" is five days), so a value far outside its range is almost always a unit mistake: it fails at
// configuration with a message that says what the value means and what was probably meant.
readonly struct DurationRange
{
    public static readonly DurationRange Period = new(TimeSpan.FromMilliseconds(1), TimeSpan.FromHours(1));
    public static readonly DurationRange RequestTimeout = new(TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(10));
    // Zero means no retries. A day is the most an in-memory queue can sensibly hold events for.
    public static readonly DurationRange RetryTimeLimit = new(TimeSpan.Zero, TimeSpan.FromDays(1));
    public static readonly DurationRange ShutdownTimeout = new(TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(10));

    DurationRange(TimeSpan min, TimeSpan max)
    {
        Min = min;
        Max = max;
    }

    public TimeSpan Min { get; }
    public TimeSpan Max { get; }
    // Zero is a setting of its own ("none") only where the range starts at it.
    public bool AllowZero => Min == TimeSpan.Zero;

    public static void Require(TimeSpan value, DurationRange range, string parameter, string option)
    {
        if (value < TimeSpan.Zero || (value == TimeSpan.Zero && !range.AllowZero))
        {
            throw new ArgumentOutOfRangeException(parameter, value, string.Format(CultureInfo.InvariantCulture,
                "The LogTrace sink's {0} (LogTraceSinkOptions.{1}) {2}; it was {3}.",
                parameter, option, range.AllowZero ? "must not be negative (zero means none)" : "must be greater than zero", value));
        }

        if (value > range.Max || (value > TimeSpan.Zero && value < range.Min))
        {
            throw new ArgumentOutOfRangeException(parameter, value, string.Format(CultureInfo.InvariantCulture,
                "The LogTrace sink's {0} (LogTraceSinkOptions.{1}) is {2} ({3}), outside the sensible range {4} to {5}.{6}",
                parameter, option, Describe(value), value, range.Min, range.Max, Suggest(value, range)));
        }
    }

    static string Describe(TimeSpan value)
    {
        if (value.TotalDays >= 1)
            return Plural(value.TotalDays, "day");
        if (value.TotalHours >= 1)
            return Plural(value.TotalHours, "hour");
        if (value.TotalMinutes >= 1)
            return Plural(value.TotalMinutes, "minute");
        if (value.TotalSeconds >= 1)
            return Plural(value.TotalSeconds, "second");
        return Plural(value.TotalMilliseconds, "millisecond");
    }

    static string Plural(double amount, string unit) =>
        amount.ToString("0.###", CultureInfo.InvariantCulture) + " " + unit + (amount == 1 ? "" : "s");

    // "5" in appsettings.json is five days; if five seconds (or minutes) fits the range, that was surely meant.
    static string Suggest(TimeSpan value, DurationRange range)
    {
        if (value.Ticks % TimeSpan.TicksPerDay != 0 || value.TotalDays > 59)
            return "";
        var count = (int)value.TotalDays;
        foreach (var candidate in new[] { TimeSpan.FromSeconds(count), TimeSpan.FromMinutes(count) })
        {
            if (candidate >= range.Min && candidate <= range.Max)
            {
                return " In appsettings.json a bare number is read as days: did you mean \"" +
                    candidate.ToString("c", CultureInfo.InvariantCulture) + "\" (" + Describe(candidate) + ")?";
            }
        }
        return "";
    }
}
