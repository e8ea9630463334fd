using Microsoft.Extensions.Diagnostics.HealthChecks;
using Serilog.Sinks.LogTrace.HealthChecks;

namespace Serilog.Sinks.LogTrace.Tests.HealthChecks;

// The health check's rules over statuses made as a sink would make them.
public class HealthRulesTests
{
    static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    const string Endpoint = "https://api.logtracehq.com/v1/developers";

    static LogTraceSinkStatus Status(
        TimeSpan? oldest = null, Dictionary<string, DateTimeOffset>? lastLost = null, string? refusal = null, int? statusCode = null,
        string[]? misspelt = null, string? bufferUnavailable = null, bool duplicate = false, string endpoint = Endpoint,
        long sent = 0, long queued = 0, long? buffered = null, long ignored = 0, long withoutContext = 0, DateTimeOffset? lastDelivery = null,
        long? dryRun = null)
    {
        var lost = new Dictionary<string, long> { ["queue_full"] = 0, ["rejected"] = 0 };
        foreach (var reason in (lastLost ?? new()).Keys)
            lost[reason] = 7;
        var routes = new[]
        {
            new LogTraceRouteStatus("event", endpoint + "/events", statusCode ?? (refusal != null ? 401 : null), statusCode != null || refusal != null ? Now : null, refusal),
            new LogTraceRouteStatus("audit_log", endpoint + "/audit-logs", null, null, null),
        };
        return new LogTraceSinkStatus(endpoint, Now, queued, buffered, bufferUnavailable != null ? "/var/lib/app/logtrace" : null, bufferUnavailable,
            oldest, sent, lastDelivery ?? (sent > 0 ? Now.AddSeconds(-3) : null), lost, lastLost ?? new(), routes, misspelt ?? Array.Empty<string>(),
            misspelt?.Length ?? 0, duplicate, ignored, withoutContext, dryRun);
    }

    // A dry run sends nothing: Degraded, and said before any other degraded finding.
    [Fact]
    public void ASinkInDryRunIsDegradedAndSaysThatNothingIsSent()
    {
        var verdict = Evaluate(Status(dryRun: 4, misspelt: new[] { "Eventname" }), Status(endpoint: "https://other.example/v1/developers", dryRun: 2));

        Assert.Equal(HealthStatus.Degraded, verdict.Status);
        Assert.Equal("The LogTrace sink for " + Endpoint + " is in dry run: nothing is sent to the service; 4 records were written to its " +
            "dry-run output (SelfLog or DryRunOutput) instead.", verdict.Description);
        Assert.Equal(6L, verdict.Data["dry_run"]);
        Assert.Equal(3, ((string[])verdict.Data["findings"]).Length);
    }

    [Fact]
    public void ASinkNotInDryRunHasNoDryRunFigure()
    {
        var verdict = Evaluate(Status(sent: 1));
        Assert.False(verdict.Data.ContainsKey("dry_run"));
    }

    [Fact]
    public void TheDryRunFigureIsThereWhenOneSinkOfSeveralIsInDryRun()
    {
        var verdict = Evaluate(Status(sent: 1), Status(endpoint: "https://other.example/v1/developers", dryRun: 2));
        Assert.Equal(2L, verdict.Data["dry_run"]);
    }

    static HealthRules.Verdict Evaluate(params LogTraceSinkStatus[] sinks) => HealthRules.Evaluate(sinks, new LogTraceHealthCheckOptions());

    [Fact]
    public void ASinkThatLoggedNothingYetIsHealthy()
    {
        var verdict = Evaluate(Status());
        Assert.Equal(HealthStatus.Healthy, verdict.Status);
        Assert.Equal("1 LogTrace sink delivering: 0 records sent, 0 waiting.", verdict.Description);
        Assert.Empty((string[])verdict.Data["findings"]);
    }

    [Fact]
    public void FiguresAreSummedOverTheSinks()
    {
        var verdict = Evaluate(Status(sent: 10, queued: 2), Status(sent: 5, buffered: 4, endpoint: "https://other.example/v1/developers"));
        Assert.Equal(HealthStatus.Healthy, verdict.Status);
        Assert.Equal("2 LogTrace sinks delivering: 15 records sent, 6 waiting.", verdict.Description);
        Assert.Equal(2, verdict.Data["sinks"]);
        Assert.Equal(15L, verdict.Data["sent"]);
        Assert.Equal(2L, verdict.Data["queued"]);
        Assert.Equal(4L, verdict.Data["buffered"]);
        Assert.Equal(Now.AddSeconds(-3).ToString("O"), verdict.Data["last_delivery"]);
    }

    [Fact]
    public void NoSinkIsUnhealthy()
    {
        var verdict = Evaluate();
        Assert.Equal(HealthStatus.Unhealthy, verdict.Status);
        Assert.StartsWith("No LogTrace sink exists in this process", verdict.Description);
    }

    [Fact]
    public void NoSinkForTheEndpointCheckedIsUnhealthyAndOthersAreIgnored()
    {
        var options = new LogTraceHealthCheckOptions { Endpoint = "https://tenant-b.example/v1/developers/" };
        var verdict = HealthRules.Evaluate(new[] { Status(refusal: "status 401: bad key") }, options);
        Assert.Equal(HealthStatus.Unhealthy, verdict.Status);
        Assert.Equal("No LogTrace sink in this process posts to https://tenant-b.example/v1/developers/.", verdict.Description);

        var mine = HealthRules.Evaluate(new[] { Status(refusal: "status 401: bad key"), Status(endpoint: "https://tenant-b.example/v1/developers") },
            new LogTraceHealthCheckOptions { Endpoint = "https://TENANT-B.example/v1/developers/events" });
        Assert.Equal(HealthStatus.Healthy, mine.Status);
        Assert.Equal(1, mine.Data["sinks"]);
    }

    [Fact]
    public void ARefusalIsUnhealthyAndNamesTheRouteAndTheAnswer()
    {
        var verdict = Evaluate(Status(refusal: "status 401: Invalid API key; check the API key, the endpoint and the account"));
        Assert.Equal(HealthStatus.Unhealthy, verdict.Status);
        Assert.Equal("The LogTrace service refused the configuration at POST " + Endpoint + "/events: status 401: Invalid API key; " +
            "check the API key, the endpoint and the account.", verdict.Description);
    }

    static LogTraceSinkStatus Refused(int statusCode, TimeSpan ago)
    {
        var routes = new[]
        {
            new LogTraceRouteStatus("event", Endpoint + "/events", 202, Now.AddSeconds(-5), null),
            new LogTraceRouteStatus("session", Endpoint + "/sessions", statusCode, Now - ago, "status " + statusCode + ": refused"),
        };
        return new LogTraceSinkStatus(Endpoint, Now, 0, null, null, null, null, 5000, Now.AddSeconds(-5), new Dictionary<string, long>(),
            new Dictionary<string, DateTimeOffset>(), routes, Array.Empty<string>(), 0, false, 0, 0, null);
    }

    // Found by a review: one refusal on a rarely used route (a firewall's 403 on /sessions) stayed Unhealthy until the
    // route's next record, hours later, and could hold the application out of its load balancer all that time.
    [Theory]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(405)]
    [InlineData(307)]
    public void ARouteRefusalOlderThanTheWindowIsDegraded(int statusCode)
    {
        var within = Evaluate(Refused(statusCode, TimeSpan.FromMinutes(5)));
        var past = Evaluate(Refused(statusCode, TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1)));
        var hours = Evaluate(Refused(statusCode, TimeSpan.FromHours(6)));

        Assert.Equal(HealthStatus.Unhealthy, within.Status);
        Assert.Equal(HealthStatus.Degraded, past.Status);
        Assert.Equal("The LogTrace service refused the configuration at POST " + Endpoint + "/sessions 6 h ago: status " + statusCode +
            ": refused; no record of this kind was sent since, so whether it still would is not known.", hours.Description);
    }

    [Theory]
    [InlineData(401)]
    [InlineData(402)]
    [InlineData(428)]
    public void ARefusalOfTheKeyOrTheAccountStaysUnhealthy(int statusCode) =>
        Assert.Equal(HealthStatus.Unhealthy, Evaluate(Refused(statusCode, TimeSpan.FromHours(6))).Status);

    [Fact]
    public void AnAnswerThatIsNoRefusalIsHealthy()
    {
        Assert.Equal(HealthStatus.Healthy, Evaluate(Status(statusCode: 503)).Status);
        Assert.Equal(HealthStatus.Healthy, Evaluate(Status(statusCode: 202)).Status);
    }

    [Theory]
    [InlineData("queue_full", "the queue was full")]
    [InlineData("buffer_full", "the durable buffer was full")]
    [InlineData("retry_limit", "given up after retrying for longer than retryTimeLimit")]
    public void ALossAtABoundWithinTheWindowIsUnhealthy(string reason, string said)
    {
        var recent = Evaluate(Status(lastLost: new() { [reason] = Now.AddMinutes(-4) }));
        Assert.Equal(HealthStatus.Unhealthy, recent.Status);
        Assert.Contains(said + " (" + reason + ") 4 min ago", recent.Description);
        Assert.Equal(7L, recent.Data["lost." + reason]);

        var edge = Evaluate(Status(lastLost: new() { [reason] = Now.AddMinutes(-5) }));
        Assert.Equal(HealthStatus.Unhealthy, edge.Status);
        var old = Evaluate(Status(lastLost: new() { [reason] = Now.AddMinutes(-5).AddSeconds(-1) }));
        Assert.Equal(HealthStatus.Healthy, old.Status);
    }

    [Fact]
    public void TheWindowIsAnOption()
    {
        var status = Status(lastLost: new() { ["queue_full"] = Now.AddMinutes(-8) });
        Assert.Equal(HealthStatus.Healthy, HealthRules.Evaluate(new[] { status }, new LogTraceHealthCheckOptions()).Status);
        Assert.Equal(HealthStatus.Unhealthy, HealthRules.Evaluate(new[] { status }, new LogTraceHealthCheckOptions { Window = TimeSpan.FromMinutes(10) }).Status);
    }

    // The process ending, the application's own choice, and a refusal the route's latest answer already tells.
    [Fact]
    public void OtherLossesAreNotFindings()
    {
        var verdict = Evaluate(Status(lastLost: new() { ["shutdown"] = Now, ["dropped_by_hook"] = Now, ["unauthorized"] = Now }));
        Assert.Equal(HealthStatus.Healthy, verdict.Status);
        Assert.Equal(7L, verdict.Data["lost.shutdown"]);
    }

    [Fact]
    public void RetryLimitLossesSayWhatToLookAt()
    {
        var verdict = Evaluate(Status(lastLost: new() { ["retry_limit"] = Now.AddSeconds(-30) }));
        Assert.Equal("LogTrace records were given up after retrying for longer than retryTimeLimit (retry_limit) 30 s ago: " +
            "the service is unreachable or failing; SelfLog has its last answer.", verdict.Description);
    }

    [Theory]
    [InlineData("invalid", "A LogTrace record the service could never accept (invalid: no user, a status that is no session status, a value that could not be formatted) was logged 30 s ago, and was not sent; SelfLog has the reason.")]
    [InlineData("corrupt", "A record of the durable buffer could not be read back 30 s ago (corrupt): it was moved to the dead-letter folder and not sent; SelfLog has the file.")]
    public void ARecentInvalidOrCorruptRecordIsDegraded(string reason, string said)
    {
        var verdict = Evaluate(Status(lastLost: new() { [reason] = Now.AddSeconds(-30) }));
        Assert.Equal(HealthStatus.Degraded, verdict.Status);
        Assert.Equal(said, verdict.Description);
        Assert.Equal(HealthStatus.Degraded, Evaluate(Status(lastLost: new() { [reason] = Now.AddMinutes(-5) })).Status);
        Assert.Equal(HealthStatus.Healthy, Evaluate(Status(lastLost: new() { [reason] = Now.AddMinutes(-5).AddSeconds(-1) })).Status);
    }

    // The endpoint a sink reports is Uri.ToString() of what it was given; the option is what a person typed.
    [Theory]
    [InlineData("https://api.logtracehq.com:443/v1/developers")]
    [InlineData("HTTPS://API.LOGTRACEHQ.COM/v1/developers/")]
    [InlineData(" https://api.logtracehq.com/v1/developers/events ")]
    [InlineData("https://api.logtracehq.com:443/v1/developers/events/")]
    public void TheEndpointCheckedIsComparedAsAUrl(string option)
    {
        var verdict = HealthRules.Evaluate(new[] { Status(endpoint: Endpoint) }, new LogTraceHealthCheckOptions { Endpoint = option });
        Assert.Equal(HealthStatus.Healthy, verdict.Status);
        Assert.Equal(1, verdict.Data["sinks"]);
    }

    [Theory]
    [InlineData("https://api.logtracehq.com:8443/v1/developers")]
    [InlineData("http://api.logtracehq.com/v1/developers")]
    [InlineData("https://eu.logtracehq.com/v1/developers")]
    [InlineData("https://api.logtracehq.com/v2/developers")]
    public void AnotherPortSchemeHostOrPathIsAnotherEndpoint(string option)
    {
        var verdict = HealthRules.Evaluate(new[] { Status(endpoint: Endpoint) }, new LogTraceHealthCheckOptions { Endpoint = option });
        Assert.Equal(HealthStatus.Unhealthy, verdict.Status);
        Assert.Equal(0, verdict.Data["sinks"]);
    }

    [Theory]
    [InlineData("api.logtracehq.com/v1/developers")]
    [InlineData("ftp://api.logtracehq.com/v1/developers")]
    [InlineData("")]
    public void AnEndpointThatIsNoHttpUrlIsRefusedWhenTheCheckIsAdded(string option)
    {
        var error = Assert.Throws<ArgumentException>(() => HealthRules.Validate(new LogTraceHealthCheckOptions { Endpoint = option }));
        Assert.Equal("options", error.ParamName);
        Assert.StartsWith("The LogTrace health check's Endpoint must be the sink's ingestion base URL (an absolute http or https URL, " +
            "e.g. https://api.logtracehq.com/v1/developers), or null to check every sink.", error.Message);
        HealthRules.Validate(new LogTraceHealthCheckOptions { Endpoint = "http://127.0.0.1:5000/v1/developers" });
        HealthRules.Validate(new LogTraceHealthCheckOptions { Endpoint = null });
    }

    [Fact]
    public void AnOldUndeliveredRecordIsDegraded()
    {
        var verdict = Evaluate(Status(oldest: TimeSpan.FromMinutes(12)));
        Assert.Equal(HealthStatus.Degraded, verdict.Status);
        Assert.Equal("The oldest undelivered LogTrace record was logged 12 min ago, more than 10 min: delivery is falling behind.", verdict.Description);
        Assert.Equal(720.0, verdict.Data["oldest_undelivered_seconds"]);

        Assert.Equal(HealthStatus.Healthy, Evaluate(Status(oldest: TimeSpan.FromMinutes(10))).Status);
        Assert.Equal(HealthStatus.Degraded, HealthRules.Evaluate(new[] { Status(oldest: TimeSpan.FromSeconds(90)) },
            new LogTraceHealthCheckOptions { MaxUndeliveredAge = TimeSpan.FromMinutes(1) }).Status);
    }

    [Fact]
    public void ARecentHookFailureIsDegraded_ADroppedRecordIsOnlyAFigure()
    {
        var verdict = Evaluate(Status(lastLost: new() { ["hook_failed"] = Now.AddSeconds(-30) }));
        Assert.Equal(HealthStatus.Degraded, verdict.Status);
        Assert.Equal("The before-send hook threw for a LogTrace record 30 s ago, and the record was not sent (hook_failed); SelfLog has the exception.",
            verdict.Description);
        Assert.Equal(HealthStatus.Healthy, Evaluate(Status(lastLost: new() { ["hook_failed"] = Now.AddMinutes(-6) })).Status);

        var dropped = Evaluate(Status(lastLost: new() { ["dropped_by_hook"] = Now.AddSeconds(-1) }));
        Assert.Equal(HealthStatus.Healthy, dropped.Status);
        Assert.Equal(7L, dropped.Data["lost.dropped_by_hook"]);
    }

    [Fact]
    public void ARecentRejectionIsDegraded()
    {
        var verdict = Evaluate(Status(lastLost: new() { ["rejected"] = Now.AddSeconds(-30) }));
        Assert.Equal(HealthStatus.Degraded, verdict.Status);
        Assert.Equal("The LogTrace service rejected records (a 400-class answer) 30 s ago; SelfLog has the reason.", verdict.Description);
        Assert.Equal(HealthStatus.Healthy, Evaluate(Status(lastLost: new() { ["rejected"] = Now.AddMinutes(-6) })).Status);
    }

    [Fact]
    public void AMisspeltMarkerIsDegradedAndNamed()
    {
        var verdict = Evaluate(Status(misspelt: new[] { "Eventname", "session_token" }));
        Assert.Equal(HealthStatus.Degraded, verdict.Status);
        Assert.StartsWith("Log events carried 'Eventname', 'session_token', which look like a LogTrace marker", verdict.Description);
        Assert.Equal(2L, verdict.Data["misspelt_marker_events"]);
    }

    [Fact]
    public void ABufferThatCouldNotBeUsedIsDegraded()
    {
        var verdict = Evaluate(Status(bufferUnavailable: "the folder is in use by another process"));
        Assert.Equal(HealthStatus.Degraded, verdict.Status);
        Assert.Equal("The durable buffer at /var/lib/app/logtrace is not used (the folder is in use by another process): records are delivered from memory.",
            verdict.Description);
    }

    [Fact]
    public void ASignOutThatSwallowedAnotherRecordIsDegraded()
    {
        var verdict = Evaluate(Status(ignored: 3));
        Assert.Equal(HealthStatus.Degraded, verdict.Status);
        Assert.StartsWith("3 sign-outs also carried EventName or AuditLogName", verdict.Description);
    }

    [Fact]
    public void RecordsWithoutTheMiddlewareAreDegraded()
    {
        var verdict = Evaluate(Status(withoutContext: 4));
        Assert.Equal(HealthStatus.Degraded, verdict.Status);
        Assert.StartsWith("4 LogTrace records were logged during HTTP requests without the LogTrace middleware", verdict.Description);
        Assert.Contains("UseLogTraceHttpContext()", verdict.Description);
    }

    [Fact]
    public void TwoSinksSharingAKeyAndEndpointAreDegraded()
    {
        var verdict = Evaluate(Status(duplicate: true), Status(duplicate: true));
        Assert.Equal(HealthStatus.Degraded, verdict.Status);
        Assert.StartsWith("Two LogTrace sinks post with the same API key to " + Endpoint, verdict.Description);
        Assert.Single((string[])verdict.Data["findings"]);
    }

    [Fact]
    public void UnhealthyOutranksDegradedAndEveryFindingIsInTheData()
    {
        var verdict = Evaluate(Status(oldest: TimeSpan.FromHours(3), refusal: "status 403: forbidden"));
        Assert.Equal(HealthStatus.Unhealthy, verdict.Status);
        Assert.StartsWith("The LogTrace service refused", verdict.Description);
        var findings = (string[])verdict.Data["findings"];
        Assert.Equal(2, findings.Length);
        Assert.Contains("3 h ago", findings[1]);
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(5, 0)]
    [InlineData(-1, 10)]
    public void ThresholdsMustBePositive(int windowMinutes, int ageMinutes)
    {
        var options = new LogTraceHealthCheckOptions { Window = TimeSpan.FromMinutes(windowMinutes), MaxUndeliveredAge = TimeSpan.FromMinutes(ageMinutes) };
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => HealthRules.Validate(options));
        Assert.Contains(windowMinutes <= 0 ? "Window" : "MaxUndeliveredAge", ex.Message);
    }

    [Theory]
    [InlineData(500, "under a second")]
    [InlineData(999, "under a second")]
    [InlineData(1_000, "1 s")]
    [InlineData(119_999, "119 s")]
    [InlineData(120_000, "2 min")]
    [InlineData(7_199_999, "119 min")]
    [InlineData(7_200_000, "2 h")]
    [InlineData(30 * 3_600_000, "30 h")]
    public void HowLongAgoIsSaidInTheUnitThatFits(int milliseconds, string said)
    {
        var status = Status(lastLost: new() { ["rejected"] = Now.AddMilliseconds(-milliseconds) });
        var verdict = HealthRules.Evaluate(new[] { status }, new LogTraceHealthCheckOptions { Window = TimeSpan.FromDays(2) });
        Assert.Equal(HealthStatus.Degraded, verdict.Status);
        Assert.Equal("The LogTrace service rejected records (a 400-class answer) " + said + " ago; SelfLog has the reason.", verdict.Description);
    }

    [Fact]
    public void EveryFindingIsSaidInFull()
    {
        Assert.Equal("LogTrace records were lost because the queue was full (queue_full) 4 min ago: the service is unreachable, or slower than " +
            "the application logs.", Evaluate(Status(lastLost: new() { ["queue_full"] = Now.AddMinutes(-4) })).Description);
        Assert.Equal("LogTrace records were lost because the durable buffer was full (buffer_full) 4 min ago: the service has been unreachable " +
            "for long, or bufferSizeLimitBytes is too small.", Evaluate(Status(lastLost: new() { ["buffer_full"] = Now.AddMinutes(-4) })).Description);
        Assert.Equal("Log events carried 'Eventname', 'session_token', which look like a LogTrace marker (EventName, AuditLogName, SessionStatus, " +
            "SessionToken) but are spelt otherwise: they were not sent.", Evaluate(Status(misspelt: new[] { "Eventname", "session_token" })).Description);
        Assert.Equal("3 sign-outs also carried EventName or AuditLogName: a sign-out is sent as its token alone, so those records were not sent " +
            "(log them in calls of their own).", Evaluate(Status(ignored: 3)).Description);
        Assert.Equal("4 LogTrace records were logged during HTTP requests without the LogTrace middleware, and went without request details: " +
            "add AddLogTraceHttpContext() and UseLogTraceHttpContext().", Evaluate(Status(withoutContext: 4)).Description);
        Assert.Equal("Two LogTrace sinks post with the same API key to " + Endpoint + ": every record is sent twice (configure the sink once).",
            Evaluate(Status(duplicate: true)).Description);
        Assert.Equal("No LogTrace sink exists in this process: the Serilog configuration did not create one (WriteTo.LogTrace in code, or LogTrace " +
            "in the WriteTo of the Serilog section).", Evaluate().Description);
    }

    [Fact]
    public void TheOldestAgeAndTheLatestDeliveryAreTakenOverTheSinks()
    {
        var verdict = Evaluate(
            Status(oldest: TimeSpan.FromSeconds(90.04), sent: 1, lastDelivery: Now.AddMinutes(-2)),
            Status(oldest: TimeSpan.FromSeconds(30), sent: 1, lastDelivery: Now.AddSeconds(-5), endpoint: "https://other.example/v1/developers"),
            Status(endpoint: "https://third.example/v1/developers"));
        Assert.Equal(HealthStatus.Healthy, verdict.Status);
        Assert.Equal(90.0, verdict.Data["oldest_undelivered_seconds"]);
        Assert.Equal(Now.AddSeconds(-5).ToString("O"), verdict.Data["last_delivery"]);
    }

    [Fact]
    public void ALossIsSummedOverTheSinksThatCountIt()
    {
        var old = Now.AddHours(-1);
        var verdict = Evaluate(
            Status(lastLost: new() { ["buffer_full"] = old, ["retry_limit"] = old }),
            Status(lastLost: new() { ["retry_limit"] = old }, endpoint: "https://other.example/v1/developers"));
        Assert.Equal(HealthStatus.Healthy, verdict.Status);
        Assert.Equal(7L, verdict.Data["lost.buffer_full"]);
        Assert.Equal(14L, verdict.Data["lost.retry_limit"]);
        Assert.Equal(0L, verdict.Data["lost.queue_full"]);
    }

    [Fact]
    public void WithoutSinksOrDeliveriesTheDataHasNoAgeOrTime()
    {
        var none = Evaluate();
        Assert.Equal(0, none.Data["sinks"]);
        Assert.False(none.Data.ContainsKey("oldest_undelivered_seconds"));
        Assert.False(none.Data.ContainsKey("last_delivery"));

        var idle = Evaluate(Status());
        Assert.False(idle.Data.ContainsKey("oldest_undelivered_seconds"));
        Assert.False(idle.Data.ContainsKey("last_delivery"));
    }

    [Fact]
    public void TheEndpointCheckedIsComparedTrimmedWithoutCaseOrTheEventsRoute()
    {
        var sinks = new[] { Status(endpoint: "https://tenant-b.example/v1/developers"), Status(refusal: "status 401: bad key") };
        foreach (var endpoint in new[] { "  https://tenant-b.example/v1/developers  ", "https://tenant-b.example/v1/developers/EVENTS/", "HTTPS://TENANT-B.EXAMPLE/V1/DEVELOPERS/Events" })
        {
            var verdict = HealthRules.Evaluate(sinks, new LogTraceHealthCheckOptions { Endpoint = endpoint });
            Assert.Equal(HealthStatus.Healthy, verdict.Status);
            Assert.Equal(1, verdict.Data["sinks"]);
        }
        Assert.Equal(HealthStatus.Unhealthy, HealthRules.Evaluate(sinks, new LogTraceHealthCheckOptions { Endpoint = "https://tenant-b.example/v1" }).Status);
    }

    [Fact]
    public void EachSinksFindingsAreSaidAndTheFirstUnhealthyOneNamesTheResult()
    {
        var verdict = Evaluate(
            Status(withoutContext: 2),
            Status(lastLost: new() { ["queue_full"] = Now.AddSeconds(-10) }, endpoint: "https://other.example/v1/developers"),
            Status(lastLost: new() { ["buffer_full"] = Now.AddSeconds(-20) }, endpoint: "https://third.example/v1/developers"));
        Assert.Equal(HealthStatus.Unhealthy, verdict.Status);
        Assert.StartsWith("LogTrace records were lost because the queue was full (queue_full) 10 s ago", verdict.Description);
        var findings = (string[])verdict.Data["findings"];
        Assert.Equal(3, findings.Length);
        Assert.StartsWith("LogTrace records were lost because the durable buffer was full (buffer_full) 20 s ago", findings[1]);
        Assert.StartsWith("2 LogTrace records were logged", findings[2]);
    }
}
