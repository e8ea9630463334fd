using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Serilog.Sinks.LogTrace.HealthChecks;

// The health check's rules over the sinks' statuses (docs/health-and-status.md). The most severe finding names the
// result in one sentence; every finding is in the data ("findings"), with the figures summed over the sinks checked.
static class HealthRules
{
    public static void Validate(LogTraceHealthCheckOptions options)
    {
        if (options.Window <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(options), options.Window, "The LogTrace health check's Window must be positive.");
        if (options.MaxUndeliveredAge <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxUndeliveredAge, "The LogTrace health check's MaxUndeliveredAge must be positive.");
        if (options.Endpoint is { } endpoint &&
            !(Uri.TryCreate(endpoint.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)))
        {
            throw new ArgumentException("The LogTrace health check's Endpoint must be the sink's ingestion base URL (an absolute http or https URL, " +
                "e.g. https://api.logtracehq.com/v1/developers), or null to check every sink.", nameof(options));
        }
    }

    public static Verdict Evaluate(IReadOnlyList<LogTraceSinkStatus> all, LogTraceHealthCheckOptions options)
    {
        var sinks = options.Endpoint is { } endpoint ? all.Where(s => SameEndpoint(s.Endpoint, endpoint)).ToList() : all.ToList();
        var unhealthy = new List<string>();
        var degraded = new List<string>();

        if (sinks.Count == 0)
        {
            unhealthy.Add(options.Endpoint == null
                ? "No LogTrace sink exists in this process: the Serilog configuration did not create one (WriteTo.LogTrace in code, or LogTrace in the WriteTo of the Serilog section)."
                : "No LogTrace sink in this process posts to " + options.Endpoint + ".");
        }

        foreach (var sink in sinks)
        {
            foreach (var route in sink.Routes)
            {
                if (route.Refusal == null)
                    continue;
                // A refusal of one route (403, 404, 405, a redirect: a proxy's or a firewall's, perhaps for a moment)
                // is the route's answer until its next record, which a rarely used route may not send for hours: past
                // Window it is Degraded, not Unhealthy, so that it cannot hold the application out of its load
                // balancer. A refusal of the key or the account (401, 402, 428) closes every route and stays Unhealthy.
                var since = route.LastAnswerAt is { } at ? sink.TakenAt - at : TimeSpan.Zero;
                var refused = "The LogTrace service refused the configuration at POST " + route.Url;
                if (route.LastStatusCode is 401 or 402 or 428 || since <= options.Window)
                    unhealthy.Add(refused + ": " + route.Refusal + ".");
                else
                    degraded.Add(refused + " " + Ago(since) + ": " + route.Refusal + "; no record of this kind was sent since, so whether it still would is not known.");
            }
            if (LostWithin(sink, "queue_full", options.Window) is { } queueFull)
            {
                unhealthy.Add("LogTrace records were lost because the queue was full (queue_full) " + Ago(queueFull) +
                    ": the service is unreachable, or slower than the application logs.");
            }
            if (LostWithin(sink, "buffer_full", options.Window) is { } bufferFull)
            {
                unhealthy.Add("LogTrace records were lost because the durable buffer was full (buffer_full) " + Ago(bufferFull) +
                    ": the service has been unreachable for long, or bufferSizeLimitBytes is too small.");
            }
            if (LostWithin(sink, "retry_limit", options.Window) is { } retryLimit)
            {
                unhealthy.Add("LogTrace records were given up after retrying for longer than retryTimeLimit (retry_limit) " + Ago(retryLimit) +
                    ": the service is unreachable or failing; SelfLog has its last answer.");
            }

            // Degraded, not Healthy: a dry run left on in production would otherwise send nothing with every check green.
            if (sink.DryRunRecords is { } dryRun)
            {
                degraded.Add("The LogTrace sink for " + sink.Endpoint + " is in dry run: nothing is sent to the service; " +
                    dryRun.ToString(CultureInfo.InvariantCulture) + " records were written to its dry-run output (SelfLog or DryRunOutput) instead.");
            }
            if (sink.OldestUndeliveredAge is { } age && age > options.MaxUndeliveredAge)
            {
                degraded.Add("The oldest undelivered LogTrace record was logged " + Duration(age) + " ago, more than " +
                    Duration(options.MaxUndeliveredAge) + ": delivery is falling behind.");
            }
            if (LostWithin(sink, "rejected", options.Window) is { } rejected)
                degraded.Add("The LogTrace service rejected records (a 400-class answer) " + Ago(rejected) + "; SelfLog has the reason.");
            if (LostWithin(sink, "hook_failed", options.Window) is { } hookFailed)
                degraded.Add("The before-send hook threw for a LogTrace record " + Ago(hookFailed) + ", and the record was not sent (hook_failed); SelfLog has the exception.");
            if (LostWithin(sink, "invalid", options.Window) is { } invalid)
            {
                degraded.Add("A LogTrace record the service could never accept (invalid: no user, a status that is no session status, a value " +
                    "that could not be formatted) was logged " + Ago(invalid) + ", and was not sent; SelfLog has the reason.");
            }
            if (LostWithin(sink, "corrupt", options.Window) is { } corrupt)
            {
                degraded.Add("A record of the durable buffer could not be read back " + Ago(corrupt) +
                    " (corrupt): it was moved to the dead-letter folder and not sent; SelfLog has the file.");
            }
            if (sink.MisspeltMarkers.Count > 0)
            {
                degraded.Add("Log events carried " + string.Join(", ", sink.MisspeltMarkers.Select(n => "'" + n + "'")) +
                    ", which look like a LogTrace marker (EventName, AuditLogName, SessionStatus, SessionToken) but are spelt otherwise: they were not sent.");
            }
            if (sink.BufferUnavailable != null)
                degraded.Add("The durable buffer at " + sink.BufferPath + " is not used (" + sink.BufferUnavailable + "): records are delivered from memory.");
            if (sink.IgnoredMarkerEvents > 0)
            {
                degraded.Add(sink.IgnoredMarkerEvents.ToString(CultureInfo.InvariantCulture) + " sign-outs also carried EventName or AuditLogName: " +
                    "a sign-out is sent as its token alone, so those records were not sent (log them in calls of their own).");
            }
            if (sink.WithoutRequestContext > 0)
            {
                degraded.Add(sink.WithoutRequestContext.ToString(CultureInfo.InvariantCulture) + " LogTrace records were logged during HTTP requests " +
                    "without the LogTrace middleware, and went without request details: add AddLogTraceHttpContext() and UseLogTraceHttpContext().");
            }
            if (sink.SharesKeyAndEndpoint)
                degraded.Add("Two LogTrace sinks post with the same API key to " + sink.Endpoint + ": every record is sent twice (configure the sink once).");
        }

        var data = Figures(sinks);
        var findings = unhealthy.Concat(degraded).Distinct().ToArray();
        data["findings"] = findings;
        if (unhealthy.Count > 0)
            return new Verdict(HealthStatus.Unhealthy, unhealthy[0], data);
        if (degraded.Count > 0)
            return new Verdict(HealthStatus.Degraded, degraded[0], data);
        var sent = sinks.Sum(s => s.Sent);
        return new Verdict(HealthStatus.Healthy, string.Format(CultureInfo.InvariantCulture,
            "{0} LogTrace sink{1} delivering: {2} records sent, {3} waiting.", sinks.Count, sinks.Count == 1 ? "" : "s",
            sent, sinks.Sum(s => s.Queued + (s.Buffered ?? 0))), data);
    }

    static Dictionary<string, object> Figures(IReadOnlyList<LogTraceSinkStatus> sinks)
    {
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["sinks"] = sinks.Count,
            ["queued"] = sinks.Sum(s => s.Queued),
            ["buffered"] = sinks.Sum(s => s.Buffered ?? 0),
            ["sent"] = sinks.Sum(s => s.Sent),
            ["misspelt_marker_events"] = sinks.Sum(s => s.MisspeltMarkerEvents),
        };
        if (sinks.Any(s => s.DryRunRecords != null))
            data["dry_run"] = sinks.Sum(s => s.DryRunRecords ?? 0);
        foreach (var reason in sinks.SelectMany(s => s.Lost.Keys).Distinct())
            data["lost." + reason] = sinks.Sum(s => s.Lost.TryGetValue(reason, out var n) ? n : 0);
        var oldest = sinks.Select(s => s.OldestUndeliveredAge).Where(a => a != null).DefaultIfEmpty().Max();
        if (oldest is { } age)
            data["oldest_undelivered_seconds"] = Math.Round(age.TotalSeconds, 1);
        var last = sinks.Select(s => s.LastDelivery).Where(d => d != null).DefaultIfEmpty().Max();
        if (last is { } at)
            data["last_delivery"] = at.ToString("O", CultureInfo.InvariantCulture);
        return data;
    }

    // How long before the snapshot a record was last lost for `reason`, when that is within the window.
    static TimeSpan? LostWithin(LogTraceSinkStatus sink, string reason, TimeSpan window) =>
        sink.LastLost.TryGetValue(reason, out var at) && sink.TakenAt - at <= window ? sink.TakenAt - at : null;

    static string Ago(TimeSpan since) => Duration(since) + " ago";

    static string Duration(TimeSpan span) =>
        span.TotalSeconds < 1 ? "under a second"
        : span.TotalMinutes < 2 ? ((int)span.TotalSeconds).ToString(CultureInfo.InvariantCulture) + " s"
        : span.TotalHours < 2 ? ((int)span.TotalMinutes).ToString(CultureInfo.InvariantCulture) + " min"
        : ((int)span.TotalHours).ToString(CultureInfo.InvariantCulture) + " h";

    // "https://x/v1/developers", ".../v1/developers/", ".../v1/developers/events", "HTTPS://X:443/v1/developers",
    // ".../developers//events", ".../developers/./": the same base URL. Each side is normalized as the sink normalizes
    // its endpoint (LogTraceSinkSettings.ResolveBaseUri, which this package cannot call: keep the two in step), then
    // compared as URLs (scheme, host and port with the scheme's default applied, then the path), ignoring case, and an
    // IPv6 zone as it is written (fe80::1%eth0 and fe80::1%eth1 are two links; Uri.Compare ignores the zone).
    internal static bool SameEndpoint(string a, string b) =>
        BaseUrl(a) is { } x && BaseUrl(b) is { } y
            ? Uri.Compare(x, y, UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0 &&
              string.Equals(Zone(x), Zone(y), StringComparison.Ordinal)
            : string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);

    static string Zone(Uri uri) => uri.IdnHost.IndexOf('%') is var at and >= 0 ? uri.IdnHost.Substring(at) : "";

    // The parsed URL's path without trailing slashes and one trailing "/events"; null when it is no absolute URL.
    static Uri? BaseUrl(string endpoint)
    {
        if (!Uri.TryCreate(endpoint.Trim(), UriKind.Absolute, out var uri))
            return null;
        var path = uri.AbsolutePath.TrimEnd('/');
        if (path.EndsWith("/events", StringComparison.OrdinalIgnoreCase))
            path = path.Substring(0, path.Length - "/events".Length).TrimEnd('/');
        var builder = new UriBuilder(uri) { Path = path, Query = "", Fragment = "" };
        if (uri.HostNameType == UriHostNameType.IPv6)
            builder.Host = uri.IdnHost;
        return builder.Uri;
    }

    internal sealed class Verdict
    {
        public Verdict(HealthStatus status, string description, IReadOnlyDictionary<string, object> data)
        {
            Status = status;
            Description = description;
            Data = data;
        }

        public HealthStatus Status { get; }

        public string Description { get; }

        public IReadOnlyDictionary<string, object> Data { get; }
    }
}
