using System.Text.Json;
using Serilog.Sinks.LogTrace.Testing.Internal;

namespace Serilog.Sinks.LogTrace.Tests.Testing;

// The service's rules, field by field (docs/logtrace-api.md): Go's encoding/json decodes into typed structs, so a
// field of the wrong JSON type fails the whole body with the generic message, whatever else the body holds.
public class ServiceValidationTests
{
    const string Payload = "failed to validate payload";
    const string UserRequired = "failed to validate request payload: user information (username or user_id) is required";

    static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    [Theory]
    [InlineData("name")]
    [InlineData("user_id")]
    [InlineData("username")]
    [InlineData("type")]
    public void AnEventStringFieldOfAnotherTypeFailsTheBody(string field)
    {
        var body = new Dictionary<string, object> { ["name"] = "a", ["user_id"] = "1", ["username"] = "u", ["type"] = "t" };
        Assert.Equal((202, "Event accepted for processing"), ServiceValidation.ValidateEvent(Json(JsonSerializer.Serialize(body))));

        body[field] = 7;

        Assert.Equal((400, Payload), ServiceValidation.ValidateEvent(Json(JsonSerializer.Serialize(body))));
    }

    [Theory]
    [InlineData("name")]
    [InlineData("user_id")]
    [InlineData("username")]
    [InlineData("description")]
    [InlineData("timestamp")]
    public void AnAuditLogStringFieldOfAnotherTypeFailsTheBody(string field)
    {
        var body = new Dictionary<string, object> { ["name"] = "a", ["user_id"] = "1", ["username"] = "u", ["description"] = "d", ["timestamp"] = "any text" };
        Assert.Equal((202, "Audit log accepted for processing"), ServiceValidation.ValidateAuditLog(Json(JsonSerializer.Serialize(body))));

        body[field] = true;

        Assert.Equal((400, Payload), ServiceValidation.ValidateAuditLog(Json(JsonSerializer.Serialize(body))));
    }

    [Theory]
    [InlineData("user_id")]
    [InlineData("username")]
    [InlineData("token")]
    [InlineData("status")]
    public void ASessionStringFieldOfAnotherTypeFailsTheBody(string field)
    {
        var body = new Dictionary<string, object> { ["login_at"] = "2026-11-26T10:30:00Z", ["status"] = "active", ["user_id"] = "1", ["username"] = "u", ["token"] = "t" };
        Assert.Equal((202, "Session accepted for processing"), ServiceValidation.ValidateSession(Json(JsonSerializer.Serialize(body))));

        body[field] = 1.5;

        Assert.Equal((400, Payload), ServiceValidation.ValidateSession(Json(JsonSerializer.Serialize(body))));
    }

    [Theory]
    [InlineData("http_method")]
    [InlineData("http_endpoint")]
    [InlineData("ip_address")]
    [InlineData("operating_system")]
    [InlineData("client_user_agent")]
    [InlineData("geo_ip_location")]
    [InlineData("request_duration")]
    [InlineData("request_id")]
    public void ARequestDetailStringFieldOfAnotherTypeFailsEveryKind(string field)
    {
        var details = new Dictionary<string, object>
        {
            ["http_method"] = "GET", ["http_endpoint"] = "/x", ["ip_address"] = "203.0.113.1", ["operating_system"] = "Linux",
            ["client_user_agent"] = "curl", ["geo_ip_location"] = "NL", ["request_duration"] = "12ms", ["request_id"] = "r-1",
        };
        string Event() => JsonSerializer.Serialize(new Dictionary<string, object> { ["name"] = "a", ["username"] = "u", ["request_details"] = details });
        string Session() => JsonSerializer.Serialize(new Dictionary<string, object>
            { ["login_at"] = "2026-11-26T10:30:00Z", ["status"] = "active", ["username"] = "u", ["request_details"] = details });
        Assert.Equal(202, ServiceValidation.ValidateEvent(Json(Event())).Status);
        Assert.Equal(202, ServiceValidation.ValidateSession(Json(Session())).Status);

        details[field] = 3;

        Assert.Equal((400, Payload), ServiceValidation.ValidateEvent(Json(Event())));
        Assert.Equal((400, Payload), ServiceValidation.ValidateAuditLog(Json(Event())));
        Assert.Equal((400, Payload), ServiceValidation.ValidateSession(Json(Session())));
    }

    [Theory]
    // Null decodes as the zero value wherever a string, a time, an int or a map is expected.
    [InlineData("""{"name":"a","username":"u","type":null,"user_id":null}""", 202)]
    [InlineData("""{"name":"a","username":"u","request_details":null}""", 202)]
    [InlineData("""{"name":"a","username":"u","request_details":{"http_method":null,"timestamp":null,"http_status_code":null,"request_headers":null}}""", 202)]
    [InlineData("""{"name":"a","username":"u","request_details":{"request_headers":{"A":null,"B":"b"}}}""", 202)]
    [InlineData("""{"name":"a","username":"u","request_details":{}}""", 202)]
    // request_details is a struct, its headers a map[string]string.
    [InlineData("""{"name":"a","username":"u","request_details":"GET /"}""", 400)]
    [InlineData("""{"name":"a","username":"u","request_details":[]}""", 400)]
    [InlineData("""{"name":"a","username":"u","request_details":{"request_headers":["A: b"]}}""", 400)]
    [InlineData("""{"name":"a","username":"u","request_details":{"request_headers":"A: b"}}""", 400)]
    [InlineData("""{"name":"a","username":"u","request_details":{"request_headers":{"A":{"b":"c"}}}}""", 400)]
    // The timestamp is a time.Time: RFC 3339 text only.
    [InlineData("""{"name":"a","username":"u","request_details":{"timestamp":"2026-11-26T10:30:00.123456Z"}}""", 202)]
    [InlineData("""{"name":"a","username":"u","request_details":{"timestamp":"2026-11-26T10:30:00-05:00"}}""", 202)]
    [InlineData("""{"name":"a","username":"u","request_details":{"timestamp":1764153000}}""", 400)]
    [InlineData("""{"name":"a","username":"u","request_details":{"timestamp":"2026-11-26 10:30:00Z"}}""", 400)]
    [InlineData("""{"name":"a","username":"u","request_details":{"timestamp":"2026-13-45T10:30:00Z"}}""", 400)]
    [InlineData("""{"name":"a","username":"u","request_details":{"timestamp":"2026-11-26T10:30:00"}}""", 400)]
    // The status code is an int: a JSON integer that fits.
    [InlineData("""{"name":"a","username":"u","request_details":{"http_status_code":-1}}""", 202)]
    [InlineData("""{"name":"a","username":"u","request_details":{"http_status_code":2e2}}""", 400)]
    [InlineData("""{"name":"a","username":"u","request_details":{"http_status_code":99999999999999999999}}""", 400)]
    [InlineData("""{"name":"a","username":"u","request_details":{"http_status_code":true}}""", 400)]
    public void RequestDetailsDecodeAsGoDoes(string body, int status) =>
        Assert.Equal(status, ServiceValidation.ValidateEvent(Json(body)).Status);

    [Theory]
    [InlineData("""{"login_at":"2026-11-26T10:30:00Z","status":"failed","user_id":"1"}""", 202, "Session accepted for processing")]
    [InlineData("""{"login_at":"2026-11-26T10:30:00Z","status":"expired","user_id":"1"}""", 202, "Session accepted for processing")]
    [InlineData("""{"login_at":"2026-11-26T10:30:00+01:00","status":"active","username":"u"}""", 202, "Session accepted for processing")]
    [InlineData("""{"login_at":1764153000,"status":"active","user_id":"1"}""", 400, Payload)]
    [InlineData("""{"login_at":null,"status":"active","user_id":"1"}""", 400, Payload)]
    [InlineData("""{"login_at":"","status":"active","user_id":"1"}""", 400, Payload)]
    [InlineData("""{"login_at":"2026-11-26 10:30:00Z","status":"active","user_id":"1"}""", 400, Payload)]
    [InlineData("""{"login_at":"2026-02-30T10:30:00Z","status":"active","user_id":"1"}""", 400, Payload)]
    [InlineData("""{"login_at":"2026-11-26T10:30:00Z","user_id":"1"}""", 400, "failed to validate request payload: invalid session status")]
    [InlineData("""{"login_at":"2026-11-26T10:30:00Z","status":"active","user_id":"","username":""}""", 400, UserRequired)]
    [InlineData("""{"login_at":"2026-11-26T10:30:00Z","status":"active","username":"u","request_details":{"http_status_code":"200"}}""", 400, Payload)]
    [InlineData("""["login_at"]""", 400, Payload)]
    public void SessionsFollowTheService(string body, int status, string message) =>
        Assert.Equal((status, message), ServiceValidation.ValidateSession(Json(body)));

    [Theory]
    [InlineData("""{"token":"sess_1","user_id":7}""", 202, "Session logout accepted for processing")]
    [InlineData("""{"token":7}""", 400, Payload)]
    [InlineData("""{"token":null}""", 400, Payload)]
    [InlineData("""["sess_1"]""", 400, Payload)]
    [InlineData("\"sess_1\"", 400, Payload)]
    public void ASignOutNeedsAStringToken(string body, int status, string message) =>
        Assert.Equal((status, message), ServiceValidation.ValidateLogout(Json(body)));

    [Theory]
    [InlineData("""{"name":"a","user_id":"1"}""", 202, "Audit log accepted for processing")]
    [InlineData("""{"name":"a","username":"u","timestamp":null}""", 202, "Audit log accepted for processing")]
    [InlineData("""{"name":"","user_id":"1"}""", 400, "failed to validate request payload: audit log name is required")]
    [InlineData("""{"user_id":"1"}""", 400, "failed to validate request payload: audit log name is required")]
    [InlineData("""{"name":"a","user_id":"1","request_details":{"timestamp":""}}""", 400, Payload)]
    [InlineData("""{"name":"a","username":""}""", 400, UserRequired)]
    [InlineData("7", 400, Payload)]
    public void AuditLogsFollowTheService(string body, int status, string message) =>
        Assert.Equal((status, message), ServiceValidation.ValidateAuditLog(Json(body)));

    [Theory]
    [InlineData("event", "Event accepted for processing")]
    [InlineData("audit-log", "Audit log accepted for processing")]
    [InlineData("session", "Session accepted for processing")]
    [InlineData("session-logout", "Session logout accepted for processing")]
    public void EachKindHasTheServicesAcceptedMessage(string kind, string message) =>
        Assert.Equal(message, ServiceValidation.Accepted(kind));

    [Theory]
    [InlineData("""{"name":"a"}""", "name", "a")]
    [InlineData("""{"name":7}""", "name", null)]
    [InlineData("""{"name":null}""", "name", null)]
    [InlineData("""{}""", "name", null)]
    [InlineData("""["name"]""", "name", null)]
    public void TextIsAStringFieldOrNothing(string body, string field, string? text) =>
        Assert.Equal(text, ServiceValidation.Text(Json(body), field));
}
