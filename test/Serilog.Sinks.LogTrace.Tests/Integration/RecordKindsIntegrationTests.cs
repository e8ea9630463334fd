using Serilog.Sinks.LogTrace.Tests.Support;
using static Serilog.Sinks.LogTrace.Tests.Support.CollectorHelpers;

namespace Serilog.Sinks.LogTrace.Tests.Integration;

// Audit logs and sessions through the real sink, HttpClient and Serilog pipeline, to the collector on 127.0.0.1,
// which validates them with the service's rules.
public class RecordKindsIntegrationTests
{
    const string Token = "sess_integration_5b2d4f60";

    [Fact]
    public async Task AnAuditLogASessionAndASignOutArriveOnTheirRoutesAndAreAccepted()
    {
        await using var collector = await StartAsync();
        using (var logger = new LoggerConfiguration().WriteTo.LogTrace(ApiKey, collector.DevelopersEndpoint).CreateLogger())
        {
            logger.ForContext(LogTraceProperties.AuditLogName, "invoice.deleted").ForContext(LogTraceProperties.UserId, "u-42")
                .Information("Invoice {InvoiceId} deleted; it was {@Before}", "INV-1", new { Total = 120.5m, Status = "open" });
            logger.ForContext(LogTraceProperties.SessionStatus, "successful").ForContext(LogTraceProperties.SessionToken, Token)
                .Information("User {UserName} signed in", "jane_doe");
            logger.ForContext(LogTraceProperties.SessionStatus, LogTraceSessionStatus.Logout).ForContext(LogTraceProperties.SessionToken, Token)
                .Information("User {UserName} signed out", "jane_doe");
        }

        Assert.All(collector.Store.Requests, r => Assert.Equal(202, r.Status));
        var audit = Assert.Single(collector.Store.AuditLogs);
        Assert.Equal("/v1/developers/audit-logs", audit.Path);
        Assert.Equal("Invoice \"INV-1\" deleted; it was { Total: 120.5, Status: \"open\" }", audit.Json().GetProperty("description").GetString());
        Assert.Equal("open", audit.Json().GetProperty("metadata").GetProperty("Before").GetProperty("Status").GetString());

        var sessions = collector.Store.Sessions;
        Assert.Equal(new[] { "/v1/developers/sessions", "/v1/developers/sessions/logout" }, sessions.Select(s => s.Path).OrderBy(p => p));
        var signIn = sessions.Single(s => s.Kind == "session");
        Assert.Equal("succesful", signIn.Json().GetProperty("status").GetString());
        Assert.Equal(Token, signIn.Json().GetProperty("token").GetString());
        Assert.Equal(Token, sessions.Single(s => s.Kind == "session-logout").Json().GetProperty("token").GetString());
        Assert.Empty(collector.Store.Events);
    }

    [Fact]
    public async Task AnInvalidStatusNeverReachesTheWire()
    {
        await using var collector = await StartAsync();
        using (var logger = new LoggerConfiguration().WriteTo.LogTrace(ApiKey, collector.DevelopersEndpoint).CreateLogger())
        {
            logger.ForContext(LogTraceProperties.SessionStatus, "signed_in").ForContext(LogTraceProperties.UserName, "jane").Information("Signed in");
            logger.ForContext(LogTraceProperties.EventName, "after").ForContext(LogTraceProperties.UserName, "jane").Information("After");
        }

        Assert.Equal(new[] { "/v1/developers/events" }, collector.Store.Requests.Select(r => r.Path));
    }

    // The collector limits per client IP across every route, as the service does: the sink paces all kinds together
    // and, with one sender (nothing in flight that the last answer did not count), never gets a 429.
    [Fact]
    public async Task UnderTheRateLimitEveryKindIsPacedTogetherAndNoneIsRefused()
    {
        await using var collector = await global::LogTrace.Collector.LogTraceCollector.StartAsync(new global::LogTrace.Collector.CollectorOptions
        {
            ApiKeys = { ApiKey },
            RateLimit = 4,
            RateLimitWindow = TimeSpan.FromSeconds(1),
        });
        using (var logger = new LoggerConfiguration()
            .WriteTo.LogTrace(o =>
            {
                o.ApiKey = ApiKey;
                o.Endpoint = collector.DevelopersEndpoint;
                o.ShutdownTimeout = TimeSpan.FromSeconds(30);
                o.MaxConcurrentRequests = 1;
            })
            .CreateLogger())
        {
            for (var i = 0; i < 3; i++)
            {
                logger.ForContext(LogTraceProperties.EventName, "e" + i).ForContext(LogTraceProperties.UserName, "jane").Information("Event");
                logger.ForContext(LogTraceProperties.AuditLogName, "a" + i).ForContext(LogTraceProperties.UserName, "jane").Information("Audit");
                logger.ForContext(LogTraceProperties.SessionStatus, "active").ForContext(LogTraceProperties.UserName, "jane").Information("Session");
            }
        }

        Assert.Equal(9, collector.Store.Records.Count);
        Assert.DoesNotContain(collector.Store.Requests, r => r.Status == 429);
        // More than the limit, so the window had to be waited out at least once, across kinds.
        Assert.Equal(new[] { "audit-log", "event", "session" }, collector.Store.Records.Select(r => r.Kind).Distinct().OrderBy(k => k));
    }
}
