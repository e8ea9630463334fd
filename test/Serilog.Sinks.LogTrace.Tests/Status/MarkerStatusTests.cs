using System.Net.Http;
using Serilog.Sinks.LogTrace.AspNetCore;
using Serilog.Sinks.LogTrace.Tests.AspNetCore;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Status;

// What the application meant but did not get: said once, counted, and shown in the status.
[Collection(SelfLogCollection.Name)]
public class MarkerStatusTests
{
    [Fact]
    public async Task ASignOutCarryingAnotherMarkerIsSentAloneAndTheOtherIsSaidAndCounted()
    {
        using var selfLog = new SelfLogCollector();
        await using var harness = new SinkHarness();
        Serilog.Events.LogEvent SignOut(params (string, Serilog.Events.LogEventPropertyValue)[] more) =>
            Some.LogEvent("Signed out", properties: new[] { Some.Prop("SessionStatus", "logout"), Some.Prop("SessionToken", "sess_marker_0123456789") }.Concat(more).ToArray());
        await harness.EmitAsync(
            SignOut(Some.Prop("AuditLogName", "session.revoked")),
            SignOut(Some.Prop("AuditLogName", "session.revoked"), Some.Prop("EventName", "user.logout")),
            SignOut());
        await harness.SettledAsync(3);

        Assert.Equal(3, harness.Api.Requests.Count(r => r.Kind == Records.RecordKind.SessionLogout));
        var status = harness.Sink.Status(false);
        Assert.Equal(2, status.IgnoredMarkerEvents);
        Assert.Single(selfLog.Lines, l => l.Contains("also carries AuditLogName"));
        Assert.Single(selfLog.Lines, l => l.Contains("also carries EventName"));
    }

    [Fact]
    public async Task RecordsLoggedInARequestWithoutTheMiddlewareAreCountedInTheStatus()
    {
        using var selfLog = new SelfLogCollector();
        await using var app = await TestWebApp.StartAsync(useContext: false, register: false);
        (await app.Client.PostAsync("/invoices", null)).EnsureSuccessStatusCode();
        (await app.Client.PostAsync("/invoices", null)).EnsureSuccessStatusCode();
        await Eventually.TrueAsync(() => app.Collector.Store.Events.Count == 2, "both events arrive");

        var status = LogTraceStatus.GetSinks().Single(s => s.Endpoint == app.Collector.DevelopersEndpoint);
        Assert.Equal(2, status.WithoutRequestContext);
        Assert.Single(selfLog.Lines, l => l.Contains("has no LogTrace context"));
    }
}
