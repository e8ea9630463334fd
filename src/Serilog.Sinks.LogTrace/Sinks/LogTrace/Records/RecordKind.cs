using System;
using System.Collections.Generic;
using Serilog.Events;

namespace Serilog.Sinks.LogTrace.Records;

// The four requests the service takes (docs/logtrace-api.md): a record of each kind is one request to its route.
enum RecordKind
{
    Event = 0,
    AuditLog = 1,
    Session = 2,
    SessionLogout = 3,
}

// Which kind of record a log event is, from its marker properties. Precedence, when an event carries more than one
// (docs/records.md, "Audit logs and sessions"): a valid SessionStatus, then AuditLogName, then EventName, each counting only
// when it can be used. The most specific marker wins; the others stay in the record's metadata.
static class RecordKinds
{
    public const int Count = 4;

    // The route under the base URL.
    public static string Path(RecordKind kind) => kind switch
    {
        RecordKind.AuditLog => "audit-logs",
        RecordKind.Session => "sessions",
        RecordKind.SessionLogout => "sessions/logout",
        _ => "events",
    };

    // The values of the metrics' "kind" tag: a sign-out is a session record too.
    public static string TagValue(RecordKind kind) => kind switch
    {
        RecordKind.AuditLog => "audit_log",
        RecordKind.Session or RecordKind.SessionLogout => "session",
        _ => "event",
    };

    // How SelfLog lines and failure messages name the kind.
    public static string Label(RecordKind kind) => kind switch
    {
        RecordKind.AuditLog => "audit log",
        RecordKind.Session => "session",
        RecordKind.SessionLogout => "session sign-out",
        _ => "event",
    };

    // "event \"user.login\"", "audit log \"invoice.deleted\"", "session \"failed\"", "session sign-out": never a
    // token (the name is the marker's text, and a sign-out has none).
    public static string Describe(RecordKind kind, string? name) =>
        kind == RecordKind.SessionLogout || string.IsNullOrEmpty(name) ? Label(kind) : Label(kind) + " \"" + name + "\"";

    public static string Describe(LogEvent logEvent) => Describe(logEvent, out _);

    // The description, and the kind the metrics count the record as (an event when it carries no marker).
    public static string Describe(LogEvent logEvent, out RecordKind kind)
    {
        if (!TryGetMarker(logEvent, out kind, out var marker))
            return "event (no name)";
        if (kind != RecordKind.Session)
            return Describe(kind, MarkerText(marker));
        var status = SessionStatuses.Parse(marker);
        if (status == SessionStatus.Logout)
            return Label(RecordKind.SessionLogout);
        // An invalid status is never repeated: it may be a token given as the status by mistake (the two properties
        // swapped), which must not reach SelfLog or a failure message.
        return status == SessionStatus.Invalid ? Label(kind) + " (its SessionStatus is not a status)" : Describe(kind, MarkerText(marker));
    }

    // What reports call a formatted record of this kind: its marker's text (a sign-out has none: its only value is the
    // token, which no report may hold).
    public static string NameOf(LogEvent logEvent, RecordKind kind) =>
        kind != RecordKind.SessionLogout && TryGetMarker(logEvent, out _, out var marker) ? MarkerText(marker) : "";

    // The marker's text for reports: its string, or how Serilog renders another value; at most 100 characters.
    // Never throws: a structure or sequence whose elements' ToString() throws is named by its kind.
    public static string MarkerText(LogEventPropertyValue marker)
    {
        string text;
        try
        {
            text = marker is ScalarValue scalar ? PropertyValueWriter.ScalarToString(scalar.Value) ?? "" : marker.ToString();
        }
        catch (Exception)
        {
            text = "(a " + marker.GetType().Name + " that cannot be rendered)";
        }
        return text.Length > 100 ? text.Substring(0, 100) + "..." : text;
    }

    // The cheap test the filter in front of the queue runs for every log line the application writes. Through
    // Serilog's concrete property dictionary (always the type with Serilog 4; no interface call), in one pass over the
    // properties, comparing lengths first (the three names differ in length). Nothing is allocated.
    public static bool IsMarked(LogEvent logEvent) => IsMarked(logEvent, out _);

    // The same, and for a log event that is not a record, the name of a property that looks like a marker but is spelt
    // otherwise (MisspeltMarker), or null: the record the application meant would be lost without a word. Found in
    // the same pass, whatever the number of properties: the misspelt check has to see every name of a line that is
    // no record, so looking the three markers up as well would only add three hashes (docs/benchmarks.md, "The
    // marker check alone"). Most names are ruled out by their length and first and last letters (MightBeMisspelt).
    public static bool IsMarked(LogEvent logEvent, out string? misspelt)
    {
        misspelt = null;
        if (logEvent.Properties is not Dictionary<string, LogEventPropertyValue> properties)
        {
            if (TryGetMarker(logEvent, out _, out _))
                return true;
            foreach (var property in logEvent.Properties)
            {
                if (MisspeltMarker(property.Key) != null)
                    misspelt = property.Key;
            }
            return false;
        }

        foreach (var property in properties)
        {
            var name = property.Key;
            // A marker passes this filter too (its letters are its own): most names go no further.
            if (!MightBeMisspelt(name))
                continue;
            if (IsMarkerName(name))
            {
                if (!IsPresent(property.Value))
                    continue;
                // A name spelt like a marker beside the marker itself is no loss: nothing to report.
                misspelt = null;
                return true;
            }
            if (SpeltLikeMarker(name) != null)
            {
                misspelt = name;
            }
        }
        return false;
    }

    // The longest name MisspeltMarker considers: the longest marker (13 letters) with separators between its words.
    const int MisspeltUpTo = 24;

    // Rules out almost every property name with a few comparisons: a marker, or a misspelt one, is 9 to 24 characters
    // long, and its first and last letters are a marker's (e..e, a..e, s..s or s..n, either case), unless it begins or
    // ends with a separator, which the full comparison skips.
    static bool MightBeMisspelt(string name)
    {
        if (name.Length < 9 || name.Length > MisspeltUpTo)
            return false;
        var first = name[0];
        var last = name[name.Length - 1];
        if (IsSeparator(first) || IsSeparator(last))
            return true;
        // c | 0x20 is a lower-case ASCII letter only for that letter in either case (as in SameLetters).
        return (first | 0x20, last | 0x20) is ('e', 'e') or ('a', 'e') or ('s', 's') or ('s', 'n');
    }

    static bool IsSeparator(char c) => c is '_' or '-' or '.';

    // The marker (EventName, AuditLogName, SessionStatus or SessionToken) that `name` equals when case, '_', '-' and
    // '.' are ignored, when it is not that marker itself; null otherwise.
    public static string? MisspeltMarker(string name) => MightBeMisspelt(name) ? SpeltLikeMarker(name) : null;

    // MisspeltMarker for a name MightBeMisspelt has let through already.
    static string? SpeltLikeMarker(string name)
    {
        var marker = SameLetters(name, "eventname") ? LogTraceProperties.EventName
            : SameLetters(name, "auditlogname") ? LogTraceProperties.AuditLogName
            : SameLetters(name, "sessionstatus") ? LogTraceProperties.SessionStatus
            : SameLetters(name, "sessiontoken") ? LogTraceProperties.SessionToken
            : null;
        return marker == null || string.Equals(name, marker, StringComparison.Ordinal) ? null : marker;
    }

    // Whether `name`, without '_', '-' and '.', is `letters` (lower-case ASCII) in any case.
    static bool SameLetters(string name, string letters)
    {
        var j = 0;
        foreach (var c in name)
        {
            if (IsSeparator(c))
                continue;
            // c | 0x20 is a lower-case ASCII letter only for that letter in either case.
            if (j == letters.Length || (c | 0x20) != letters[j])
                return false;
            j++;
        }
        return j == letters.Length;
    }

    static bool IsMarkerName(string name) => name.Length switch
    {
        9 => string.Equals(name, LogTraceProperties.EventName, StringComparison.Ordinal),
        12 => string.Equals(name, LogTraceProperties.AuditLogName, StringComparison.Ordinal),
        13 => string.Equals(name, LogTraceProperties.SessionStatus, StringComparison.Ordinal),
        _ => false,
    };

    // The marker that decides the kind, by precedence; false when the event carries none (not a LogTrace record).
    // The kind of a SessionStatus marker is Session: its value decides whether it is a sign-out (SessionStatuses). A
    // marker that cannot be used (a SessionStatus that is not a status, an AuditLogName or EventName that is a
    // structure or a list) outranks nothing: beside a usable one, it stays in that record's metadata (an application's
    // own property of that name); alone, it makes an invalid record, which is counted and reported.
    public static bool TryGetMarker(LogEvent logEvent, out RecordKind kind, out LogEventPropertyValue marker)
    {
        var properties = logEvent.Properties;
        LogEventPropertyValue? unusable = null;
        var unusableKind = RecordKind.Event;
        for (var i = 0; i < Precedence.Length; i++)
        {
            var (name, candidate) = Precedence[i];
            if (!properties.TryGetValue(name, out var value) || !IsPresent(value))
                continue;
            var usable = candidate == RecordKind.Session ? SessionStatuses.Parse(value) != SessionStatus.Invalid : value is ScalarValue;
            if (usable)
            {
                kind = candidate;
                marker = value;
                return true;
            }
            if (unusable == null)
            {
                unusable = value;
                unusableKind = candidate;
            }
        }
        kind = unusableKind;
        marker = unusable!;
        return unusable != null;
    }

    static readonly (string Name, RecordKind Kind)[] Precedence =
    {
        (LogTraceProperties.SessionStatus, RecordKind.Session),
        (LogTraceProperties.AuditLogName, RecordKind.AuditLog),
        (LogTraceProperties.EventName, RecordKind.Event),
    };

    // Present: any value but null, or one whose text is empty or blank (a string, a char, an empty byte array, a
    // value whose ToString() is blank), exactly as the formatter reads a name.
    static bool IsPresent(LogEventPropertyValue value) => value switch
    {
        ScalarValue { Value: null } => false,
        ScalarValue { Value: string s } => !IsBlank(s),
        ScalarValue scalar => PropertyValueWriter.ScalarToString(scalar.Value) is { } text && !IsBlank(text),
        _ => true,
    };

    internal static bool IsBlank(string s)
    {
        foreach (var c in s)
        {
            if (!char.IsWhiteSpace(c))
                return false;
        }
        return true;
    }
}
