using Serilog.Extensions.Logging;
using static Serilog.Sinks.LogTrace.Tests.Support.CollectorHelpers;
using MelLogger = Microsoft.Extensions.Logging.ILogger;

namespace Serilog.Sinks.LogTrace.Tests.TypedRecords;

public sealed class Account
{
    public string Email { get; set; } = "";
    public string PasswordHash { get; set; } = "";
    public AccountSecurity Security { get; set; } = new();
}

public sealed class AccountSecurity
{
    public string SecurityStamp { get; set; } = "";
    public bool TwoFactorEnabled { get; set; }
}

public static partial class AccountAuditTrail
{
    [LogTraceAuditLog("user.password_changed", Message = "User {UserId} changed their password")]
    public static partial void PasswordChanged(this ILogger logger, string userId, Account before, Account after);

    [LogTraceAuditLog("user.password_changed", Message = "User {UserId} changed their password")]
    public static partial void PasswordChanged(this MelLogger logger, string userId, Account before, Account after);
}

// A typed audit log writes its before and after states through the same writer as a hand-written one: the sensitive
// names inside them are redacted on the wire, whichever logger type wrote the record.
public class TypedRedactionTests
{
    static readonly Account Before = new() { Email = "jane@example.com", PasswordHash = "AQAAAAEHashBefore0001", Security = new() { SecurityStamp = "STAMP-BEFORE-01", TwoFactorEnabled = true } };
    static readonly Account After = new() { Email = "jane@example.com", PasswordHash = "AQAAAAEHashAfter0002", Security = new() { SecurityStamp = "STAMP-AFTER-02", TwoFactorEnabled = true } };

    [Fact]
    public async Task ATypedAuditLogsBeforeAndAfterAreRedactedThroughEitherLogger()
    {
        await using var collector = await StartAsync();
        using (var serilog = new LoggerConfiguration().WriteTo.LogTrace(ApiKey, collector.DevelopersEndpoint).CreateLogger())
        {
            serilog.PasswordChanged("u-42", Before, After);
            using var factory = new SerilogLoggerFactory(serilog);
            factory.CreateLogger("Accounts").PasswordChanged("u-43", Before, After);
        }

        Assert.Equal(2, collector.Store.AuditLogs.Count);
        foreach (var audit in collector.Store.AuditLogs)
        {
            Assert.Equal(202, audit.Status);
            var text = audit.Json().GetRawText();
            Assert.DoesNotContain("AQAAAAEHash", text);
            Assert.DoesNotContain("STAMP-", text);
            var metadata = audit.Json().GetProperty("metadata");
            Assert.Equal(LogTraceRedaction.Marker, metadata.GetProperty("Before").GetProperty("PasswordHash").GetString());
            Assert.Equal(LogTraceRedaction.Marker, metadata.GetProperty("After").GetProperty("Security").GetProperty("SecurityStamp").GetString());
            Assert.True(metadata.GetProperty("After").GetProperty("Security").GetProperty("TwoFactorEnabled").GetBoolean());
            Assert.Equal("jane@example.com", metadata.GetProperty("Before").GetProperty("Email").GetString());
        }
    }
}
