namespace Serilog.Sinks.LogTrace.Records;

// Why a record that could not be formatted is dropped (counted `invalid`, before any request), in the words of its
// report: "LogTrace event "x" <detail>".
static class FormatOutcomes
{
    public static string LossDetail(FormatOutcome outcome, RecordKind kind) => outcome switch
    {
        FormatOutcome.NoUser =>
            "has neither UserId nor UserName, and no fallback user name is configured; the service would reject it, so it was dropped",
        FormatOutcome.InvalidName => "has a " + (kind == RecordKind.AuditLog ? LogTraceProperties.AuditLogName : LogTraceProperties.EventName) +
            " that is not a scalar value (a string is expected), and was dropped",
        FormatOutcome.InvalidSessionStatus => "has a SessionStatus the service does not accept (it takes " + SessionStatuses.Accepted +
            "); the service would reject it, so it was dropped",
        FormatOutcome.InvalidToken => "has a SessionToken that cannot be sent unchanged (longer than maxStringLength, containing " +
            "the API key or a lone surrogate, or not a text: a list, or a value whose ToString() fails), and an altered token names no session; it was dropped",
        FormatOutcome.NoToken => "has no SessionToken (or a blank one), which a sign-out needs; it was dropped",
        // Admitted as a record (RecordKinds.IsMarked agrees with the formatter), so its marker changed since: another
        // sink or enricher altered the event. Never skipped silently.
        _ => "no longer had a LogTrace marker (EventName, AuditLogName or SessionStatus) when it was formatted; was the log event changed " +
            "after it was logged? It was dropped",
    };
}
