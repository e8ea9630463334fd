using System.Net;
using Serilog.Sinks.LogTrace.Tests.Support;
using static Serilog.Sinks.LogTrace.Tests.AspNetCore.EventJson;

namespace Serilog.Sinks.LogTrace.Tests.AspNetCore;

// Audit logs and sessions logged in a request get its context and its signed-in user exactly as events do.
public class RecordKindRequestContextTests
{
    [Fact]
    public async Task AnAuditLogCarriesTheRequestsContextTheSignedInUserAndTheFinalStatus()
    {
        await using var app = await TestWebApp.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Delete, "/invoices/INV-7");
        request.Headers.Add(TestWebApp.UserHeader, "u-42:bob");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer abc.def.ghi");

        using var response = await app.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);

        var audit = Assert.Single(await app.RecordsAsync(1));
        Assert.Equal("audit-log", audit.Kind);
        Assert.Equal(202, audit.Status);
        var body = audit.Json();
        var details = Details(audit);
        Assert.Equal("invoice.deleted", audit.Name());
        Assert.Equal("u-42", body.GetProperty("user_id").GetString());
        Assert.Equal("bob", body.GetProperty("username").GetString());
        Assert.Equal("Invoice \"INV-7\" deleted; it was { Total: 120.5, Status: \"open\" }", body.GetProperty("description").GetString());
        Assert.Equal("open", body.GetProperty("metadata").GetProperty("Before").GetProperty("Status").GetString());
        Assert.Equal("DELETE", Text(details, "http_method"));
        Assert.Equal("/invoices/INV-7", Text(details, "http_endpoint"));
        Assert.Equal(204, details.GetProperty("http_status_code").GetInt32());
        Assert.Equal("127.0.0.1", Text(details, "ip_address"));
        Assert.EndsWith("ms", Text(details, "request_duration"));
        Assert.Equal("[REDACTED]", Text(details.GetProperty("request_headers"), "Authorization"));
    }

    [Fact]
    public async Task ASessionCarriesTheRequestsContextAndTheSignedInUser()
    {
        await using var app = await TestWebApp.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/sign-in");
        request.Headers.Add(TestWebApp.UserHeader, "u-7:carol");

        using var response = await app.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var session = Assert.Single(await app.RecordsAsync(1));
        Assert.Equal("session", session.Kind);
        Assert.Equal(202, session.Status);
        var body = session.Json();
        Assert.Equal("succesful", body.GetProperty("status").GetString());
        Assert.Equal(TestWebApp.SessionToken, body.GetProperty("token").GetString());
        Assert.Equal("u-7", body.GetProperty("user_id").GetString());
        Assert.Equal("carol", body.GetProperty("username").GetString());
        Assert.Equal("/sign-in", Text(Details(session), "http_endpoint"));
        Assert.Equal(200, Details(session).GetProperty("http_status_code").GetInt32());
    }
}
