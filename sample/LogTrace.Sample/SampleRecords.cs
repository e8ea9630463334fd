using Serilog.Sinks.LogTrace;

// The sample's records, typed: the compiler checks each name and placeholder, and the generated bodies send what the
// ForContext chains they replace sent (Program.cs keeps one chain: the string form always works).
static partial class SampleRecords
{
    [LogTraceEvent("user.login", Message = "User {UserName} signed in with {Plan} plan")]
    public static partial void UserSignedIn(this Serilog.ILogger logger, string userId, string userName, string plan);

    [LogTraceEvent("invoice.created", Message = "Invoice {InvoiceId} created for {@Amount}")]
    public static partial void InvoiceCreated(this Serilog.ILogger logger, string userId, string eventType, int statusCode, string invoiceId, object amount);

    [LogTraceEvent("password.reset", Message = "Password reset requested for {Email}")]
    public static partial void PasswordReset(this Serilog.ILogger logger, string userName, string eventType, string email);

    [LogTraceEvent("api_key.revoked", Message = "API key {KeyId} revoked because {Reason}")]
    public static partial void ApiKeyRevoked(this Serilog.ILogger logger, string userId, string eventType, string keyId, string reason);

    // An audit log: the rendered message is its description; {@Before} and {@After} arrive as JSON objects.
    [LogTraceAuditLog("invoice.updated", Message = "Invoice {InvoiceId} changed from {@Before} to {@After}")]
    public static partial void InvoiceUpdated(this Serilog.ILogger logger, string userId, string invoiceId, object before, object after);

    // A session: a successful sign-in (sent with the service's spelling, "succesful").
    [LogTraceSession(LogTraceSessionStatus.Successful, Message = "User {UserName} started a session")]
    public static partial void SessionStarted(this Serilog.ILogger logger, string token, string userId, string userName);
}
