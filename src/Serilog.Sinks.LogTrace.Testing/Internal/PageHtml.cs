namespace Serilog.Sinks.LogTrace.Testing.Internal;

// The page's markup: static. page.js fills it from /_collector/feed with textContent only, never innerHTML, so a
// record's content cannot inject markup or script.
internal static class PageHtml
{
    public const string Text = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>LogTrace local collector</title>
        <link rel="stylesheet" href="/_collector/page.css">
        </head>
        <body>
        <header>
          <h1>LogTrace local collector</h1>
          <div id="counts" aria-live="polite"></div>
          <button id="clear" type="button">Clear everything</button>
        </header>
        <section id="filters" aria-label="Filters">
          <label>Kind <select id="f-kind">
            <option value="">all</option>
            <option value="event">events</option>
            <option value="audit-log">audit logs</option>
            <option value="session">sessions</option>
            <option value="session-logout">sign-outs</option>
            <option value="other">other routes</option>
          </select></label>
          <label>Outcome <select id="f-outcome">
            <option value="">all</option>
            <option value="accepted">accepted</option>
            <option value="rejected">rejected</option>
          </select></label>
          <label>Name <input id="f-name" type="search" placeholder="e.g. invoice."></label>
          <label>User <input id="f-user" type="search" placeholder="id or name"></label>
        </section>
        <section id="empty" hidden>
          <h2>Nothing received yet</h2>
          <p>Point the sink at this endpoint, with any non-empty API key:</p>
          <pre id="endpoint"></pre>
          <p>For example <code>.WriteTo.LogTrace(apiKey: "lg_local", endpoint: "<span id="endpoint-inline"></span>")</code>.
          New records and refused requests appear here as they arrive.</p>
        </section>
        <main>
          <table id="list">
            <thead><tr><th>Received</th><th>Kind</th><th>Name</th><th>User</th><th>Outcome</th><th>Message</th></tr></thead>
            <tbody id="rows"></tbody>
          </table>
          <aside id="detail" hidden>
            <button id="close" type="button" aria-label="Close">×</button>
            <h2 id="d-title"></h2>
            <p id="d-summary"></p>
            <h3>Body</h3>
            <pre id="d-body"></pre>
            <h3>Request headers</h3>
            <table id="d-headers"><tbody></tbody></table>
          </aside>
        </main>
        <footer>JSON: <a href="/_collector/records">records</a> · <a href="/_collector/requests">every request</a> ·
          <a href="/_collector/feed">feed</a>. The API key is never kept; session tokens are masked.</footer>
        <script src="/_collector/page.js"></script>
        </body>
        </html>
        """;
}
