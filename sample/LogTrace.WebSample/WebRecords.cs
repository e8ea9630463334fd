using Microsoft.Extensions.Logging;
using Serilog.Sinks.LogTrace;

// The web sample's records, typed, through ILogger<T> (Microsoft.Extensions.Logging) and Serilog's ILogger alike: the
// user, request and final status code still come from the request. /login keeps the string form, which always works.
static partial class WebRecords
{
    [LogTraceSession(LogTraceSessionStatus.Successful, Message = "Session started for {User}")]
    public static partial void SessionStarted(this Serilog.ILogger logger, string token, string userId, string userName, string user);

    [LogTraceEvent("invoice.created", Message = "Invoice {InvoiceId} created for {Amount} {Currency}")]
    public static partial void InvoiceCreated(this ILogger logger, string invoiceId, decimal amount, string currency);

    [LogTraceEvent("password.reset", Message = "Password reset requested")]
    public static partial void PasswordReset(this Serilog.ILogger logger, string userName, string eventType);

    [LogTraceEvent("api_key.revoked", Message = "API key {KeyId} revoked")]
    public static partial void ApiKeyRevoked(this Serilog.ILogger logger, string eventType, string keyId);

    // An audit log: the message is its description, the before state a JSON object in its metadata.
    [LogTraceAuditLog("invoice.deleted", Message = "Invoice {InvoiceId} deleted; it was {@Before}")]
    public static partial void InvoiceDeleted(this ILogger logger, string invoiceId, object before);

    // The sign-out of the session the token names (POST /sessions/logout).
    [LogTraceSession(LogTraceSessionStatus.Logout, Message = "User signed out")]
    public static partial void SessionEnded(this ILogger logger, string token);

    [LogTraceEvent("export.requested", Message = "Export of {Rows} rows requested")]
    public static partial void ExportRequested(this ILogger logger, int rows);
}
