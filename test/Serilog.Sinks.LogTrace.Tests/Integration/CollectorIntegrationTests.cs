using System.Text;
using Serilog.Core;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Tests.Support;
using static Serilog.Sinks.LogTrace.Tests.Support.CollectorHelpers;

namespace Serilog.Sinks.LogTrace.Tests.Integration;

// The real sink, HttpClient and Serilog pipeline against the LogTrace-compatible collector on 127.0.0.1.
public class CollectorIntegrationTests
{
    [Fact]
    public async Task EventsArriveOnTheDevelopersRouteWithTheServicesHeaders()
    {
        await using var collector = await StartAsync();
        using (var logger = new LoggerConfiguration().WriteTo.LogTrace(ApiKey, collector.DevelopersEndpoint).CreateLogger())
        {
            logger.ForContext(LogTraceProperties.EventName, "user.login").Information("User {UserName} signed in", "jane_doe");
        }

        var request = Assert.Single(collector.Store.Requests);
        Assert.Equal("/v1/developers/events", request.Path);
        Assert.Equal(202, request.Status);
        Assert.Equal("X-API-Key", request.AuthenticatedBy);
        Assert.Equal("application/json; charset=utf-8", request.ContentType);
        Assert.StartsWith("Serilog.Sinks.LogTrace/", request.UserAgent);
        Assert.Equal("user.login", request.Name());
        Assert.Equal("jane_doe", request.Json().GetProperty("username").GetString());
    }

    [Fact]
    public async Task LogEventsWithoutEventNameNeverReachTheWire()
    {
        await using var collector = await StartAsync();
        using (var logger = new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.LogTrace(ApiKey, collector.DevelopersEndpoint).CreateLogger())
        {
            for (var i = 0; i < 20; i++)
                logger.Information("Ordinary line {Index}", i);
            logger.ForContext(LogTraceProperties.EventName, "invoice.created").Information("Invoice created");
            logger.ForContext(LogTraceProperties.EventName, "").Warning("Blank names do not count");
            logger.Debug("Another ordinary line");
        }

        Assert.Equal(new[] { "invoice.created" }, collector.Store.Requests.Select(r => r.Name()));
    }

    [Fact]
    public async Task EveryEventLoggedBeforeDisposeIsDelivered()
    {
        const int count = 250;
        await using var collector = await StartAsync();
        // A period far longer than the test: only the flush on dispose can deliver these.
        using (var logger = new LoggerConfiguration()
                   .WriteTo.LogTrace(ApiKey, collector.DevelopersEndpoint, period: TimeSpan.FromHours(1), batchSizeLimit: 1000)
                   .CreateLogger())
        {
            for (var i = 0; i < count; i++)
                logger.ForContext(LogTraceProperties.EventName, "export.requested").Information("Export {Index}", i);
        }

        var received = collector.Store.Events;
        Assert.Equal(count, received.Count);
        Assert.Equal(Enumerable.Range(0, count).ToHashSet(),
            received.Select(r => r.Json().GetProperty("metadata").GetProperty("Index").GetInt32()).ToHashSet());
    }

    [Fact]
    public async Task ARejectedEventReachesTheFallbackChainAndTheOthersAreDelivered()
    {
        await using var collector = await StartAsync();
        var fallback = new CollectingSink();
        // The handler breaks one body on its way out, so the collector's real validation rejects it.
        using var handler = new BreakingHandler("corrupt.me");
        using (var logger = new LoggerConfiguration()
                   .WriteTo.FallbackChain(
                       w => w.LogTrace(ApiKey, collector.DevelopersEndpoint, messageHandler: handler),
                       w => w.Sink(fallback))
                   .CreateLogger())
        {
            logger.ForContext(LogTraceProperties.EventName, "before").Information("Before");
            logger.ForContext(LogTraceProperties.EventName, "corrupt.me").Information("Broken on the wire");
            logger.ForContext(LogTraceProperties.EventName, "after").Information("After");
        }

        Assert.Equal(new[] { "after", "before" }, collector.Store.Events.Select(r => r.Name()).OrderBy(n => n));
        var rejected = Assert.Single(collector.Store.Requests, r => r.Status == 400);
        Assert.Equal("failed to validate request payload: event name is required", rejected.Message);
        var caught = Assert.Single(fallback.Events);
        Assert.Equal("\"corrupt.me\"", caught.Properties[LogTraceProperties.EventName].ToString());
    }

    [Fact]
    public async Task TheOptionsCallbackConfiguresTheSink()
    {
        await using var collector = await StartAsync();
        using (var logger = new LoggerConfiguration()
                   .WriteTo.LogTrace(o =>
                   {
                       o.ApiKey = ApiKey;
                       o.Endpoint = collector.DevelopersEndpoint + "/events";
                       o.DefaultEventType = "security";
                       o.FallbackUserName = "system";
                   })
                   .CreateLogger())
        {
            logger.ForContext(LogTraceProperties.EventName, "api_key.revoked").Information("Key revoked");
        }

        var body = Assert.Single(collector.Store.Events).Json();
        Assert.Equal("security", body.GetProperty("type").GetString());
        Assert.Equal("system", body.GetProperty("username").GetString());
    }

    [Fact]
    public async Task TheMinimumLevelAndLevelSwitchApply()
    {
        await using var collector = await StartAsync();
        var levelSwitch = new LoggingLevelSwitch(LogEventLevel.Warning);
        using (var logger = new LoggerConfiguration().MinimumLevel.Verbose()
                   .WriteTo.LogTrace(ApiKey, collector.DevelopersEndpoint, levelSwitch: levelSwitch)
                   .CreateLogger())
        {
            logger.ForContext(LogTraceProperties.EventName, "ignored").Information("Below the switch");
            logger.ForContext(LogTraceProperties.EventName, "kept").Warning("At the switch");
            levelSwitch.MinimumLevel = LogEventLevel.Information;
            logger.ForContext(LogTraceProperties.EventName, "kept.after.switch").Information("Now enough");
        }

        Assert.Equal(new[] { "kept", "kept.after.switch" }, collector.Store.Events.Select(r => r.Name()).OrderBy(n => n));
    }

    sealed class BreakingHandler : DelegatingHandler
    {
        readonly string _name;

        public BreakingHandler(string name) : base(new SocketsHttpHandler { AllowAutoRedirect = false }) => _name = name;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = await request.Content!.ReadAsStringAsync(cancellationToken);
            var broken = body.Replace($"\"name\":\"{_name}\"", "\"name\":\"\"");
            if (broken != body)
            {
                var contentType = request.Content.Headers.ContentType;
                request.Content = new StringContent(broken, Encoding.UTF8);
                request.Content.Headers.ContentType = contentType;
            }
            return await base.SendAsync(request, cancellationToken);
        }
    }
}
