using MelLogger = Microsoft.Extensions.Logging.ILogger;

namespace Serilog.Sinks.LogTrace.Tests.TypedRecords;

public sealed class Invoice
{
    public decimal Total { get; set; }
    public string Status { get; set; } = "";
}

// The records, once for each logger type: the generator writes their bodies in this build.
public static partial class MelAuditTrail
{
    [LogTraceEvent("user.login", Message = "User {UserName} signed in with {Method}")]
    public static partial void UserSignedIn(this MelLogger logger, string userId, string userName, string method);

    [LogTraceAuditLog("invoice.deleted", Message = "Invoice {InvoiceId} deleted")]
    public static partial void InvoiceDeleted(this MelLogger logger, string userId, string invoiceId, Invoice before);

    [LogTraceSession(LogTraceSessionStatus.Successful, Message = "User {UserName} signed in")]
    public static partial void SessionStarted(this MelLogger logger, string token, string userId, string userName);

    [LogTraceSession(LogTraceSessionStatus.Logout, Message = "User {UserName} signed out")]
    public static partial void SessionEnded(this MelLogger logger, string token, string userName);

    [LogTraceEvent("payment.failed", Level = Serilog.Events.LogEventLevel.Warning, Message = "Payment {PaymentId} failed")]
    public static partial void PaymentFailed(this MelLogger logger, string userId, string paymentId, Exception error);
}

public static partial class SerilogAuditTrail
{
    [LogTraceEvent("user.login", Message = "User {UserName} signed in with {Method}")]
    public static partial void UserSignedIn(this ILogger logger, string userId, string userName, string method);

    [LogTraceAuditLog("invoice.deleted", Message = "Invoice {InvoiceId} deleted")]
    public static partial void InvoiceDeleted(this ILogger logger, string userId, string invoiceId, Invoice before);

    [LogTraceSession(LogTraceSessionStatus.Successful, Message = "User {UserName} signed in")]
    public static partial void SessionStarted(this ILogger logger, string token, string userId, string userName);

    [LogTraceSession(LogTraceSessionStatus.Logout, Message = "User {UserName} signed out")]
    public static partial void SessionEnded(this ILogger logger, string token, string userName);

    [LogTraceEvent("payment.failed", Level = Serilog.Events.LogEventLevel.Warning, Message = "Payment {PaymentId} failed")]
    public static partial void PaymentFailed(this ILogger logger, string userId, string paymentId, Exception error);
}
