using System;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Serilog.Sinks.LogTrace.Testing.Internal;

// The service's validation of each record kind (docs/logtrace-api.md): typed decoding as Go's encoding/json does it,
// and the exact 400 messages.
internal static partial class ServiceValidation
{
    public static (int Status, string Message) ValidateEvent(JsonElement body) =>
        ValidateNamedRecord(body, EventStringFields, "event name is required", Accepted("event"));

    // The service's 202 message for each kind.
    internal static string Accepted(string kind) => kind switch
    {
        "audit-log" => "Audit log accepted for processing",
        "session" => "Session accepted for processing",
        "session-logout" => "Session logout accepted for processing",
        _ => "Event accepted for processing",
    };

    /// <summary>The service's rules for a session: a typed body, an RFC 3339 <c>login_at</c>, one of the four lower-case
    /// statuses (<c>succesful</c> in the service's spelling) and a user.</summary>
    public static (int Status, string Message) ValidateSession(JsonElement body)
    {
        if (!DecodesAs(body, SessionStringFields) || !NestedFieldsDecode(body))
            return (400, "failed to validate payload");
        if (!Field(body, "login_at", out var loginAt) || loginAt.ValueKind != JsonValueKind.String || !Every(body, "login_at", IsTimeOrNull))
            return (400, "failed to validate payload");
        var status = Text(body, "status");
        if (status is not ("succesful" or "failed" or "expired" or "active"))
            return (400, "failed to validate request payload: invalid session status");
        if (!HasUser(body))
            return (400, UserRequired);
        return (202, Accepted("session"));
    }

    /// <summary>A sign-out: a non-empty string <c>token</c>.</summary>
    public static (int Status, string Message) ValidateLogout(JsonElement body) =>
        DecodesAs(body, new[] { "token" }) && !string.IsNullOrEmpty(Text(body, "token"))
            ? (202, Accepted("session-logout"))
            : (400, "failed to validate payload");

    /// <summary>An audit log: a typed body, a name and a user; a top-level <c>timestamp</c> is accepted and ignored.</summary>
    public static (int Status, string Message) ValidateAuditLog(JsonElement body) =>
        ValidateNamedRecord(body, AuditStringFields, "audit log name is required", Accepted("audit-log"));

    // Events and audit logs share their rules: typed decoding, a required name, a required user.
    static (int, string) ValidateNamedRecord(JsonElement body, string[] stringFields, string nameRequired, string accepted)
    {
        if (!DecodesAs(body, stringFields) || !NestedFieldsDecode(body))
            return (400, "failed to validate payload");
        if (string.IsNullOrEmpty(Text(body, "name")))
            return (400, "failed to validate request payload: " + nameRequired);
        if (!HasUser(body))
            return (400, UserRequired);
        return (202, accepted);
    }

    static readonly string[] EventStringFields = { "name", "user_id", "username", "type" };
    static readonly string[] SessionStringFields = { "user_id", "username", "token", "status" };
    static readonly string[] AuditStringFields = { "name", "user_id", "username", "description", "timestamp" };
    static readonly string[] RequestDetailStringFields =
    {
        "http_method", "http_endpoint", "ip_address", "operating_system", "client_user_agent", "geo_ip_location",
        "request_duration", "request_id",
    };

    // Mirrors Go's encoding/json into typed structs: a string field takes a string or null, an int field a JSON
    // integer, a map[string]string only string (or null) values. Anything else fails the whole body, in any
    // occurrence of a repeated name (Every).
    static bool DecodesAs(JsonElement body, string[] stringFields)
    {
        if (body.ValueKind != JsonValueKind.Object)
            return false;
        foreach (var field in stringFields)
        {
            if (!Every(body, field, static value => value.ValueKind is JsonValueKind.String or JsonValueKind.Null))
                return false;
        }
        return true;
    }

    // Go's encoding/json decodes every occurrence of a name (ignoring case) into its field, in order, and fails the
    // body on the first that does not decode, although the last is the one kept: {"name": 1, "name": "x"} fails.
    static bool Every(JsonElement body, string name, Func<JsonElement, bool> decodes)
    {
        foreach (var property in body.EnumerateObject())
        {
            if (JsonFieldNames.Match(property.Name, name) && !decodes(property.Value))
                return false;
        }
        return true;
    }

    // Go's encoding/json gives a struct field the value of the last key equal to its name ignoring case.
    internal static bool Field(JsonElement body, string name, out JsonElement value)
    {
        var found = false;
        value = default;
        foreach (var property in body.EnumerateObject())
        {
            if (JsonFieldNames.Match(property.Name, name))
            {
                value = property.Value;
                found = true;
            }
        }
        return found;
    }

    // metadata is a map[string]any: an object or null, whose numbers are float64s (1e400 fails); anything else fails
    // the whole body.
    static bool MetadataDecodes(JsonElement metadata) =>
        metadata.ValueKind == JsonValueKind.Null || (metadata.ValueKind == JsonValueKind.Object && AnyDecodes(metadata));

    static bool AnyDecodes(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => double.TryParse(value.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && !double.IsInfinity(number),
        JsonValueKind.Object => value.EnumerateObject().All(static member => AnyDecodes(member.Value)),
        JsonValueKind.Array => value.EnumerateArray().All(AnyDecodes),
        _ => true,
    };

    // metadata and request_details, in every occurrence of each.
    static bool NestedFieldsDecode(JsonElement body) =>
        Every(body, "metadata", MetadataDecodes) && Every(body, "request_details", RequestDetailsDecodes);

    static bool RequestDetailsDecodes(JsonElement details) =>
        details.ValueKind == JsonValueKind.Null ||
        (DecodesAs(details, RequestDetailStringFields) && Every(details, "timestamp", IsTimeOrNull) &&
            Every(details, "http_status_code", IsIntegerOrNull) && Every(details, "request_headers", HeadersDecode));

    static bool IsIntegerOrNull(JsonElement status) =>
        status.ValueKind == JsonValueKind.Null ||
        (status.ValueKind == JsonValueKind.Number && IntegerLiteral().IsMatch(status.GetRawText()) && status.TryGetInt64(out _));

    static bool HeadersDecode(JsonElement headers) =>
        headers.ValueKind == JsonValueKind.Null ||
        (headers.ValueKind == JsonValueKind.Object && headers.EnumerateObject().All(static header => header.Value.ValueKind is JsonValueKind.String or JsonValueKind.Null));

    const string UserRequired = "failed to validate request payload: user information (username or user_id) is required";

    // The service records the user_id/username pair as a member of the organisation: one of the two is required.
    static bool HasUser(JsonElement body) =>
        !string.IsNullOrEmpty(Text(body, "user_id")) || !string.IsNullOrEmpty(Text(body, "username"));

    internal static string? Text(JsonElement body, string field) =>
        body.ValueKind == JsonValueKind.Object && Field(body, field, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    // Go's time.Time decodes strict RFC 3339 from the string's raw bytes (Rfc3339); "" fails, which is why an empty
    // timestamp fails the whole body. null decodes (to no time).
    internal static bool IsTimeOrNull(JsonElement value) =>
        value.ValueKind == JsonValueKind.Null ||
        (value.ValueKind == JsonValueKind.String && value.GetRawText() is var raw && Rfc3339.IsValid(raw.Substring(1, raw.Length - 2)));

    [GeneratedRegex(@"^-?\d+$")]
    private static partial Regex IntegerLiteral();
}
