using System.Net;
using System.Text;
using System.Text.Json;

namespace LogTrace.Collector;

/// <summary>The collector's page (/): what it accepted, one table per kind of record. A session token is a secret, so
/// the page shows only its first characters.</summary>
static class CollectorPage
{
    public static string Render(CollectorStore store)
    {
        var events = store.Events;
        var auditLogs = store.AuditLogs;
        var sessions = store.Sessions;

        var html = new StringBuilder();
        html.Append("<!doctype html><html><head><meta charset=\"utf-8\"><title>LogTrace local collector</title>")
            .Append("<style>body{font-family:sans-serif}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px;vertical-align:top}")
            .Append("pre{margin:0;max-width:40em;white-space:pre-wrap}</style></head><body>")
            .Append("<h1>LogTrace local collector</h1><p>")
            .Append(events.Count).Append(" events, ").Append(auditLogs.Count).Append(" audit logs, ").Append(sessions.Count).Append(" sessions received. JSON: ")
            .Append("<a href=\"/_collector/events\">/_collector/events</a>, <a href=\"/_collector/audit-logs\">/_collector/audit-logs</a>, ")
            .Append("<a href=\"/_collector/sessions\">/_collector/sessions</a>, <a href=\"/_collector/records\">/_collector/records</a>, ")
            .Append("<a href=\"/_collector/requests\">/_collector/requests</a> (every answer)</p>");

        Table(html, "Events", new[] { "name", "user", "type", "status", "endpoint", "IP", "time", "metadata" }, events, e => new[]
        {
            Get(e.Body, "name"), User(e.Body), Get(e.Body, "type"), Get(e.Body, "request_details", "http_status_code"), Endpoint(e.Body),
            Get(e.Body, "request_details", "ip_address"), Get(e.Body, "request_details", "timestamp"), Get(e.Body, "metadata"),
        });
        Table(html, "Audit logs", new[] { "name", "user", "description", "status", "endpoint", "IP", "metadata" }, auditLogs, e => new[]
        {
            Get(e.Body, "name"), User(e.Body), Get(e.Body, "description"), Get(e.Body, "request_details", "http_status_code"), Endpoint(e.Body),
            Get(e.Body, "request_details", "ip_address"), Get(e.Body, "metadata"),
        });
        Table(html, "Sessions", new[] { "status", "user", "login_at", "token", "endpoint", "IP", "metadata" }, sessions, e => new[]
        {
            e.Kind == "session-logout" ? "logout" : Get(e.Body, "status"), User(e.Body), Get(e.Body, "login_at"), Mask(Get(e.Body, "token")),
            Endpoint(e.Body), Get(e.Body, "request_details", "ip_address"), Get(e.Body, "metadata"),
        });
        return html.Append("</body></html>").ToString();
    }

    static void Table(StringBuilder html, string title, string[] columns, IReadOnlyList<CollectorRequest> rows, Func<CollectorRequest, string[]> cells)
    {
        html.Append("<h2>").Append(E(title)).Append("</h2><table><tr>");
        foreach (var column in columns)
            html.Append("<th>").Append(E(column)).Append("</th>");
        html.Append("</tr>");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            var values = cells(row);
            for (var i = 0; i < values.Length; i++)
            {
                // The last column is the metadata object: kept readable as preformatted JSON.
                var last = i == values.Length - 1;
                html.Append(last ? "<td><pre>" : "<td>").Append(E(values[i])).Append(last ? "</pre></td>" : "</td>");
            }
            html.Append("</tr>");
        }
        html.Append("</table>");
    }

    // The first four characters and an ellipsis: enough to tell sessions apart, not enough to use one. A token shorter
    // than 12 characters shows none of them: four would be most of it.
    internal static string Mask(string token) => token.Length == 0 ? "(none)" : (token.Length >= 12 ? token.Substring(0, 4) : "") + "…";

    static string User(JsonElement? body) =>
        string.Join(" / ", new[] { Get(body, "user_id"), Get(body, "username") }.Where(s => s.Length > 0));

    static string Endpoint(JsonElement? body) =>
        (Get(body, "request_details", "http_method") + " " + Get(body, "request_details", "http_endpoint")).Trim();

    static string E(string? s) => WebUtility.HtmlEncode(s ?? "");

    static string Get(JsonElement? element, params string[] path)
    {
        if (element is not { } current)
            return "";
        foreach (var name in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
                return "";
        }
        return current.ValueKind == JsonValueKind.String ? current.GetString() ?? "" : current.ValueKind == JsonValueKind.Undefined ? "" : current.GetRawText();
    }
}
