// Compiled into the core and, as a linked file, into the test server (its own namespace there, so that the tests, which
// see both assemblies' internals, can name each).
#if LOGTRACE_TESTING
namespace Serilog.Sinks.LogTrace.Testing.Internal;
#else
namespace Serilog.Sinks.LogTrace.Records;
#endif

// A time as the service reads one (docs/logtrace-api.md): Go's time.Time decodes a JSON string as strict RFC 3339 and
// nothing else, from the string's raw bytes, escapes not undone. "2006-01-02T15:04:05", then an optional '.' and
// digits, then 'Z' or an offset "+hh:mm" (hours 00 to 23); upper-case T and Z; a real date (year 0000 to 9999, leap
// years counted); no leap second, no space, no line break. DateTimeOffset's parsers take far more (a date alone, a
// space for the T, a trailing line break) and less (an offset past 14 hours, the year 0000). Used by the sink's
// before-send check (OutgoingBodyRules) and the test server's validation (ServiceValidation).
static class Rfc3339
{
    public static bool IsValid(string? text)
    {
        if (text == null || text.Length < 20)
            return false;
        if (!Number(text, 0, 4, out var year) || text[4] != '-' || !Number(text, 5, 2, out var month) || text[7] != '-' ||
            !Number(text, 8, 2, out var day) || text[10] != 'T' || !Number(text, 11, 2, out var hour) || text[13] != ':' ||
            !Number(text, 14, 2, out var minute) || text[16] != ':' || !Number(text, 17, 2, out var second))
            return false;
        if (month < 1 || month > 12 || day < 1 || day > DaysIn(year, month) || hour > 23 || minute > 59 || second > 59)
            return false;
        var i = 19;
        if (text[i] == '.')
        {
            var digits = ++i;
            while (i < text.Length && text[i] >= '0' && text[i] <= '9')
                i++;
            if (i == digits)
                return false;
        }
        if (i == text.Length - 1)
            return text[i] == 'Z';
        return i == text.Length - 6 && text[i] is '+' or '-' && Number(text, i + 1, 2, out var offsetHours) && text[i + 3] == ':' &&
            Number(text, i + 4, 2, out var offsetMinutes) && offsetHours <= 23 && offsetMinutes <= 59;
    }

    static int DaysIn(int year, int month) =>
        month == 2 ? (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28)
        : month is 4 or 6 or 9 or 11 ? 30
        : 31;

    // count ASCII digits at text[at..], as a number.
    static bool Number(string text, int at, int count, out int value)
    {
        value = 0;
        for (var k = at; k < at + count; k++)
        {
            var c = text[k];
            if (c < '0' || c > '9')
                return false;
            value = value * 10 + (c - '0');
        }
        return true;
    }
}
