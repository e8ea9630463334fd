using Serilog.Sinks.LogTrace.Testing;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Logging;

// What the sink says about a record it could not deliver (SelfLog, the failure listener Serilog falls back to) never
// holds a value the wire would have redacted.
[Collection(SelfLogCollection.Name)]
public class RedactedValuesInReportsTests
{
    const string Key = "lg_0123456789abcdef0123";
    const string Hash = "AQAAAAEHashNeverReported0001";

    [Fact]
    public async Task ARejectedAuditLogsReportNeverHoldsItsRedactedValues()
    {
        await using var server = await LogTraceTestServer.StartAsync(new LogTraceTestServerOptions { RejectNames = { "user.password_changed" } });
        using var selfLog = new SelfLogCollector();
        using (var logger = new LoggerConfiguration().WriteTo.LogTrace(Key, server.Endpoint).CreateLogger())
        {
            logger.ForContext(LogTraceProperties.AuditLogName, "user.password_changed").ForContext(LogTraceProperties.UserId, "u-42")
                .ForContext("Password", "hunter2-0001")
                .Information("Password changed; was {@Before}", new { Email = "jane@example.com", PasswordHash = Hash, Token = "tok-0001-secret" });
        }

        var refused = Assert.Single(server.RefusedRequests);
        Assert.Equal(400, refused.Status);
        Assert.DoesNotContain(Hash, refused.BodyText);
        Assert.Contains("user.password_changed", selfLog.Text);
        Assert.DoesNotContain(Hash, selfLog.Text);
        Assert.DoesNotContain("hunter2", selfLog.Text);
        Assert.DoesNotContain("tok-0001", selfLog.Text);
    }
}
