namespace Serilog.Sinks.LogTrace;

/// <summary>
/// The status of a LogTrace session record, for the <see cref="LogTraceProperties.SessionStatus"/> property (a string
/// with the same name, in any case, works as well).
/// </summary>
public enum LogTraceSessionStatus
{
    /// <summary>A session that is in use: <c>active</c>.</summary>
    Active,

    /// <summary>A successful sign-in. Sent as <c>succesful</c>, the service's own spelling.</summary>
    Successful,

    /// <summary>A failed sign-in: <c>failed</c>.</summary>
    Failed,

    /// <summary>A session that expired: <c>expired</c>.</summary>
    Expired,

    /// <summary>Not a stored status: the sign-out of the session named by <see cref="LogTraceProperties.SessionToken"/>,
    /// sent to the service's logout route (<c>POST {base}/sessions/logout</c>).</summary>
    Logout,
}
