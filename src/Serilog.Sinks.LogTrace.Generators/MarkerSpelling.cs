using System;

namespace Serilog.Sinks.LogTrace.Generators;

// The sink's misspelt-marker rule (Accounting/MisspeltMarkers.cs, RecordKinds.MisspeltMarker), for the compiler: a
// name that equals a marker when case, '_', '-' and '.' are ignored, but is not that marker. Kept in step with the
// sink's by the tests, which run both over the same names.
static class MarkerSpelling
{
    static readonly (string Letters, string Marker)[] Markers =
    {
        ("eventname", "EventName"), ("auditlogname", "AuditLogName"), ("sessionstatus", "SessionStatus"), ("sessiontoken", "SessionToken"),
    };

    public static string? MisspeltMarker(string name)
    {
        if (name.Length < 9 || name.Length > 24)
            return null;
        foreach (var (letters, marker) in Markers)
        {
            if (SameLetters(name, letters))
                return string.Equals(name, marker, StringComparison.Ordinal) ? null : marker;
        }
        return null;
    }

    static bool SameLetters(string name, string letters)
    {
        var j = 0;
        foreach (var c in name)
        {
            if (c is '_' or '-' or '.')
                continue;
            if (j == letters.Length || (c | 0x20) != letters[j])
                return false;
            j++;
        }
        return j == letters.Length;
    }
}
