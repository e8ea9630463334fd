using Microsoft.Extensions.Logging;
using Serilog.Extensions.Logging;
using static Serilog.Sinks.LogTrace.Tests.Support.CollectorHelpers;

namespace Serilog.Sinks.LogTrace.Tests.Integration;

// A worker service: Microsoft.Extensions.Logging with Serilog as the provider, the core package and nothing of
// ASP.NET Core (this file is also compiled into the netstandard2.0 leg, which references only the core package).
public class MicrosoftLoggingTests
{
    [Fact]
    public async Task RecordEventNamesOneEventAndNothingElseLoggedMeanwhile()
    {
        await using var collector = await StartAsync();
        var serilog = new LoggerConfiguration().WriteTo.LogTrace(ApiKey, collector.DevelopersEndpoint).CreateLogger();
        using (var factory = new SerilogLoggerFactory(serilog, dispose: true))
        {
            var logger = factory.CreateLogger("Worker");
            logger.LogInformation("Ordinary line before");
            logger.RecordEvent("invoice.created", "Invoice {InvoiceId} created", "INV-1");
            logger.RecordEvent(LogLevel.Warning, "api_key.revoked", null, "API key {KeyId} revoked", "key-7");
            logger.LogInformation("Ordinary line after");
        }

        var events = collector.Store.Events.OrderBy(e => e.Name()).ToArray();
        Assert.Equal(new[] { "api_key.revoked", "invoice.created" }, events.Select(e => e.Name()));
        var metadata = events[1].Json().GetProperty("metadata");
        Assert.Equal("INV-1", metadata.GetProperty("InvoiceId").GetString());
        Assert.Equal("Warning", events[0].Json().GetProperty("metadata").GetProperty("level").GetString());
    }

    [Fact]
    public void AnEventNeedsAName()
    {
        using var factory = new SerilogLoggerFactory(new LoggerConfiguration().CreateLogger(), dispose: true);
        Assert.Throws<ArgumentException>(() => factory.CreateLogger("Worker").RecordEvent(" ", "No name"));
    }

    [Fact]
    public async Task RecordAuditLogAndRecordSessionMarkOneCallEach()
    {
        const string token = "sess_mel_0123456789";
        await using var collector = await StartAsync();
        var serilog = new LoggerConfiguration().WriteTo.LogTrace(ApiKey, collector.DevelopersEndpoint).CreateLogger();
        using (var factory = new SerilogLoggerFactory(serilog, dispose: true))
        {
            var logger = factory.CreateLogger("Worker");
            using (logger.BeginScope(new Dictionary<string, object> { ["UserId"] = "u-42" }))
            {
                logger.RecordAuditLog("invoice.deleted", "Invoice {InvoiceId} deleted; it was {@Before}", "INV-1", new { Total = 120.5m });
                logger.LogInformation("Ordinary line in between");
                logger.RecordSession(LogTraceSessionStatus.Successful, token, "Signed in");
                logger.RecordSession(LogLevel.Warning, LogTraceSessionStatus.Failed, null, null, "Wrong password");
                logger.RecordSession(LogTraceSessionStatus.Logout, token, "Signed out");
            }
        }

        Assert.All(collector.Store.Requests, r => Assert.Equal(202, r.Status));
        var audit = Assert.Single(collector.Store.AuditLogs);
        Assert.Equal("invoice.deleted", audit.Name());
        Assert.Equal("u-42", audit.Json().GetProperty("user_id").GetString());
        Assert.Equal(120.5m, audit.Json().GetProperty("metadata").GetProperty("Before").GetProperty("Total").GetDecimal());
        var sessions = collector.Store.Sessions;
        Assert.Equal(3, sessions.Count);
        Assert.Equal(new[] { "failed", "succesful" }, sessions.Where(s => s.Kind == "session").Select(s => s.Json().GetProperty("status").GetString()).OrderBy(s => s));
        Assert.Equal("Warning", sessions.Single(s => s.Kind == "session" && s.Json().GetProperty("status").GetString() == "failed")
            .Json().GetProperty("metadata").GetProperty("level").GetString());
        Assert.Equal(token, sessions.Single(s => s.Kind == "session-logout").Json().GetProperty("token").GetString());
        Assert.Empty(collector.Store.Events);
    }

    // A blank name or an undefined status is a programming error, found at once; a token missing at run time is data:
    // the sign-out handler must not throw for it, and the sink counts the record as invalid instead.
    [Fact]
    public async Task AnAuditLogNeedsANameButASignOutWithoutItsTokenIsCountedNotThrown()
    {
        await using var collector = await StartAsync();
        var serilog = new LoggerConfiguration().WriteTo.LogTrace(ApiKey, collector.DevelopersEndpoint).CreateLogger();
        using (var factory = new SerilogLoggerFactory(serilog, dispose: true))
        {
            var logger = factory.CreateLogger("Worker");
            Assert.Throws<ArgumentException>(() => logger.RecordAuditLog("", "No name"));
            Assert.Throws<ArgumentOutOfRangeException>(() => logger.RecordSession((LogTraceSessionStatus)42, "t", "No status"));
            logger.RecordSession(LogTraceSessionStatus.Logout, null, "Signed out without a token");
            logger.RecordEvent("after", "After");
        }

        Assert.Equal(new[] { "/v1/developers/events" }, collector.Store.Requests.Select(r => r.Path));
    }
}
