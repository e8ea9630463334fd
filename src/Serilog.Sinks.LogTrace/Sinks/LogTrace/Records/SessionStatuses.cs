using System;
using Serilog.Events;

namespace Serilog.Sinks.LogTrace.Records;

enum SessionStatus
{
    Invalid,
    Active,
    Successful,
    Failed,
    Expired,
    Logout,
}

// The SessionStatus property as users write it, and as the service takes it. The service accepts exactly
// "succesful" (its spelling), "failed", "expired" and "active", in lower case; anything else is a 400 for good
// (docs/logtrace-api.md). The sink reads any case, the English "successful" as well as the service's spelling, a
// LogTraceSessionStatus value, and "logout" for a sign-out; any other value is dropped before sending.
static class SessionStatuses
{
    // The words, said once: the English ones every sink shows, and the service's spelling of "successful".
    const string Active = "active", Successful = "successful", ServiceSuccessful = "succesful", Failed = "failed", Expired = "expired",
        Logout = "logout";

    // What SelfLog and failure messages list as accepted.
    public const string Accepted = "active, successful (or the service's spelling, succesful), failed, expired, or logout for a sign-out";

    public static SessionStatus Parse(LogEventPropertyValue value)
    {
        if (value is not ScalarValue scalar)
            return SessionStatus.Invalid;
        var text = scalar.Value switch
        {
            string s => s,
            LogTraceSessionStatus status => status.ToString(),
            Enum e => e.ToString(),
            _ => null,
        };
        if (text == null)
            return SessionStatus.Invalid;

        text = text.Trim();
        if (Is(text, Active))
            return SessionStatus.Active;
        if (Is(text, Successful) || Is(text, ServiceSuccessful))
            return SessionStatus.Successful;
        if (Is(text, Failed))
            return SessionStatus.Failed;
        if (Is(text, Expired))
            return SessionStatus.Expired;
        if (Is(text, Logout))
            return SessionStatus.Logout;
        return SessionStatus.Invalid;
    }

    // The service's word for the status.
    public static string WireValue(SessionStatus status) => status switch
    {
        SessionStatus.Active => Active,
        SessionStatus.Successful => ServiceSuccessful,
        SessionStatus.Failed => Failed,
        SessionStatus.Expired => Expired,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Not a status the service stores."),
    };

    // The English word for a public status, which every sink shows (ILogger.RecordSession logs it).
    public static string Word(LogTraceSessionStatus status) => status switch
    {
        LogTraceSessionStatus.Active => Active,
        LogTraceSessionStatus.Successful => Successful,
        LogTraceSessionStatus.Failed => Failed,
        LogTraceSessionStatus.Expired => Expired,
        _ => Logout,
    };

    static bool Is(string text, string word) => string.Equals(text, word, StringComparison.OrdinalIgnoreCase);
}
