using System;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Serilog.Sinks.LogTrace.Records;

// What the service refuses whatever the retry (docs/logtrace-api.md), checked of a body a before-send hook returned,
// before any request: the same rules the formatter keeps for the sink's own records (a name, a user, a session
// status, a sign-out's token), and the top-level fields' types. A refusal these rules do not foresee (a request
// header that is not a string, say) is the service's to answer: a 400, counted `rejected`.
static class OutgoingBodyRules
{
    // Decoded by the service into string fields: a string or null, anything else fails the whole body.
    static readonly string[] EventStrings = { "name", "user_id", "username", "type" };
    static readonly string[] AuditLogStrings = { "name", "user_id", "username", "description", "timestamp" };
    static readonly string[] SessionStrings = { "user_id", "username", "token", "status", "login_at" };
    static readonly string[] SignOutStrings = { "token" };

    // Null when the service would take the body as far as the sink can tell; else what it would refuse, in words.
    public static string? Refusal(RecordKind kind, JsonObject body)
    {
        var strings = kind switch
        {
            RecordKind.AuditLog => AuditLogStrings,
            RecordKind.Session => SessionStrings,
            RecordKind.SessionLogout => SignOutStrings,
            _ => EventStrings,
        };
        foreach (var field in strings)
        {
            if (!Every(body, field, static value => value is null || value.GetValueKind() == JsonValueKind.String))
                return field + " is not a string";
        }

        if (kind == RecordKind.SessionLogout)
            return string.IsNullOrEmpty(Text(body, "token")) ? "a sign-out needs its token" : null;

        if (!Every(body, "metadata", IsObjectOrNull))
            return "metadata is not an object";
        if (!Every(body, "request_details", IsObjectOrNull))
            return "request_details is not an object";

        if (kind == RecordKind.Session)
        {
            if (Text(body, "status") is not ("succesful" or "failed" or "expired" or "active"))
                return "status is not one of succesful, failed, expired, active";
            if (!Rfc3339.IsValid(Text(body, "login_at")) || !Every(body, "login_at", static value => value is null || Rfc3339.IsValid(TextOf(value))))
                return "login_at is not an RFC 3339 time";
        }
        else if (string.IsNullOrEmpty(Text(body, "name")))
        {
            return "no name";
        }

        return string.IsNullOrEmpty(Text(body, "user_id")) && string.IsNullOrEmpty(Text(body, "username")) ? "neither user_id nor username" : null;
    }

    static bool IsObjectOrNull(JsonNode? value) => value is null || value.GetValueKind() == JsonValueKind.Object;

    // The service matches a field's name ignoring case (JsonFieldNames) and decodes every occurrence, keeping the last (docs/logtrace-api.md):
    // a hook that adds "Name": 7 beside "name" makes a body it refuses.
    static bool Every(JsonObject body, string field, Func<JsonNode?, bool> decodes)
    {
        foreach (var property in body)
        {
            if (JsonFieldNames.Match(property.Key, field) && !decodes(property.Value))
                return false;
        }
        return true;
    }

    // The field's text, from its last occurrence ignoring case; null when it is missing, null or not a string (the
    // checks above have refused the last).
    static string? Text(JsonObject body, string field)
    {
        JsonNode? last = null;
        foreach (var property in body)
        {
            if (JsonFieldNames.Match(property.Key, field))
                last = property.Value;
        }
        return TextOf(last);
    }

    // A string value's text; null for anything else (a DateTimeOffset a hook put in is no string to this check).
    static string? TextOf(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
