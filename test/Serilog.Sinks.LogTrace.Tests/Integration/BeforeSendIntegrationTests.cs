using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Serilog.Core;
using Serilog.Sinks.LogTrace.Testing;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Integration;

// The before-send hook end to end, through WriteTo.LogTrace to the in-process LogTrace server, in memory and with the
// durable buffer (the hook runs once, in EventDelivery.TryFormat, for both outboxes).
[Collection(SelfLogCollection.Name)]
public class BeforeSendIntegrationTests
{
    static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    static Logger Logger(LogTraceTestServer server, bool durable, TempFolder folder, Func<LogTraceOutgoingRecord, bool> hook) =>
        new LoggerConfiguration().WriteTo.LogTrace(o =>
        {
            o.ApiKey = Some.ApiKey;
            o.Endpoint = server.Endpoint;
            o.BeforeSend = hook;
            o.ShutdownTimeout = TimeSpan.FromSeconds(10);
            if (durable)
                o.BufferPath = folder.Path;
        }).CreateLogger();

    static void LogEvent(ILogger logger, string name, string plan = "pro") =>
        logger.ForContext(LogTraceProperties.EventName, name).ForContext(LogTraceProperties.UserId, "42").Information("Signed in on {Plan}", plan);

    static void LogSession(ILogger logger) =>
        logger.ForContext(LogTraceProperties.SessionStatus, "active").ForContext(LogTraceProperties.SessionToken, "sess_0123456789abcdef")
            .ForContext(LogTraceProperties.UserId, "42").Information("Session");

    static void LogAuditLog(ILogger logger) =>
        logger.ForContext(LogTraceProperties.AuditLogName, "invoice.deleted").ForContext(LogTraceProperties.UserId, "42").Information("Deleted");

    // This sink's status (the server's port makes its endpoint unique among the sinks of the process).
    static LogTraceSinkStatus Status(LogTraceTestServer server) =>
        Assert.Single(LogTraceStatus.GetSinks(), s => s.Endpoint.TrimEnd('/') == server.Endpoint.TrimEnd('/'));

    static Task LostAsync(LogTraceTestServer server, string reason, long count) =>
        Eventually.TrueAsync(() => Status(server).Lost[reason] == count, count + " records lost as " + reason, Wait);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AMetadataValueTheHookChangesArrivesChanged(bool durable)
    {
        await using var server = await LogTraceTestServer.StartAsync();
        using var folder = new TempFolder();
        using (var logger = Logger(server, durable, folder, record =>
               {
                   var metadata = record.Body["metadata"]!.AsObject();
                   metadata["Plan"] = "[hidden]";
                   metadata["Region"] = "eu";
                   return true;
               }))
        {
            LogEvent(logger, "user.login");
            await server.WaitForRecordsAsync(1, Wait);
        }

        var record = Assert.Single(server.Records);
        Assert.Equal("user.login", record.Name);
        Assert.Equal("[hidden]", record.Body.GetProperty("metadata").GetProperty("Plan").GetString());
        Assert.Equal("eu", record.Body.GetProperty("metadata").GetProperty("Region").GetString());
        Assert.Empty(server.RefusedRequests);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AKindTheHookDropsNeverArrivesAndIsCountedDroppedByHook(bool durable)
    {
        await using var server = await LogTraceTestServer.StartAsync();
        using var folder = new TempFolder();
        using (var logger = Logger(server, durable, folder, record => record.Kind != "session"))
        {
            LogSession(logger);
            LogEvent(logger, "user.login");
            LogAuditLog(logger);
            await server.WaitForRecordsAsync(2, Wait);
            await LostAsync(server, "dropped_by_hook", 1);
            await Eventually.TrueAsync(() => Status(server).Sent == 2, "2 records are counted sent", Wait);
            var status = Status(server);
            Assert.Equal(1, status.Lost.Values.Sum());
            Assert.True(status.LastLost.ContainsKey("dropped_by_hook"));
        }

        Assert.Equal(new[] { LogTraceRecordKind.Event, LogTraceRecordKind.AuditLog }, server.Records.Select(r => r.Kind).OrderBy(k => k));
        Assert.Equal(2, server.Requests.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AHookThatThrowsLosesOnlyThatRecord_SaysSoOnce_AndLaterRecordsArrive(bool durable)
    {
        await using var server = await LogTraceTestServer.StartAsync();
        using var folder = new TempFolder();
        using var selfLog = new SelfLogCollector();
        using (var logger = Logger(server, durable, folder, record =>
               {
                   if (record.Body["name"]!.GetValue<string>() == "bad")
                       throw new InvalidOperationException("cannot map the tenant (key " + Some.ApiKey + ")");
                   return true;
               }))
        {
            LogEvent(logger, "bad");
            LogEvent(logger, "bad");
            LogEvent(logger, "good.one");
            LogEvent(logger, "good.two");
            await server.WaitForRecordsAsync(2, Wait);
            await LostAsync(server, "hook_failed", 2);
        }

        Assert.Equal(new[] { "good.one", "good.two" }, server.Records.Select(r => r.Name).OrderBy(n => n, StringComparer.Ordinal));
        // Said once, at once, as every loss reason is (LossReporter); the other failure within the minute is summed up
        // at shutdown.
        const string Failure = "LogTrace event \"bad\" was dropped because the before-send hook threw InvalidOperationException: " +
            "cannot map the tenant (key [REDACTED])";
        Assert.Single(selfLog.Lines, l => l.Contains(Failure + "; 1 LogTrace record lost in all"));
        Assert.Single(selfLog.Lines, l => l.Contains("LogTrace: 1 more event lost (hook_failed) since the previous line; the last: " + Failure));
        Assert.DoesNotContain(Some.ApiKey, selfLog.Text);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ABodyTheServiceWouldRefuseIsCountedAndNeverCrashesTheSink(bool durable)
    {
        await using var server = await LogTraceTestServer.StartAsync();
        using var folder = new TempFolder();
        using (var logger = Logger(server, durable, folder, record =>
               {
                   var name = record.Body["name"]!.GetValue<string>();
                   if (name == "no.name")
                       record.Body.Remove("name");
                   if (name == "bad.status")
                       record.Body["request_details"]!["http_status_code"] = "200";
                   return true;
               }))
        {
            LogEvent(logger, "no.name");
            LogEvent(logger, "bad.status");
            LogEvent(logger, "fine");
            await server.WaitForRecordsAsync(1, Wait);
            // The sink's own rules drop what it can tell the service would refuse, before any request; the rest is
            // the service's to answer.
            await LostAsync(server, "invalid", 1);
            await LostAsync(server, "rejected", 1);
        }

        Assert.Equal("fine", Assert.Single(server.Records).Name);
        var refused = Assert.Single(server.RefusedRequests);
        Assert.Equal(400, refused.Status);
    }

    [Fact]
    public async Task AHookFromAppSettingsIsBoundByItsTypeName()
    {
        await using var server = await LogTraceTestServer.StartAsync();
        var json = """
            {
              "Serilog": {
                "Using": [ "Serilog.Sinks.LogTrace" ],
                "WriteTo": [
                  { "Name": "LogTrace", "Args": { "apiKey": "KEY", "endpoint": "ENDPOINT", "beforeSend": "HOOK" } }
                ]
              }
            }
            """.Replace("KEY", Some.ApiKey).Replace("ENDPOINT", server.Endpoint)
            .Replace("HOOK", typeof(RegionHook).FullName + ", " + typeof(RegionHook).Assembly.GetName().Name);
        var configuration = new ConfigurationBuilder()
            .AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)))
            .Build();

        using (var logger = new LoggerConfiguration().ReadFrom.Configuration(configuration).CreateLogger())
        {
            LogEvent(logger, "user.login");
            await server.WaitForRecordsAsync(1, Wait);
        }

        Assert.Equal("eu-west", Assert.Single(server.Records).Body.GetProperty("metadata").GetProperty("Region").GetString());
    }

    [Fact]
    public void AHookTypeNameThatCannotBeFoundFailsWhenTheLoggerIsConfigured()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Serilog:Using:0"] = "Serilog.Sinks.LogTrace",
                ["Serilog:WriteTo:0:Name"] = "LogTrace",
                ["Serilog:WriteTo:0:Args:apiKey"] = Some.ApiKey,
                ["Serilog:WriteTo:0:Args:beforeSend"] = "MyApp.MissingHook, MyApp",
            })
            .Build();

        var ex = Assert.Throws<InvalidOperationException>(() => new LoggerConfiguration().ReadFrom.Configuration(configuration));

        Assert.Contains("MyApp.MissingHook, MyApp", ex.Message);
    }
}

// A hook as an application writes one for appsettings.json: public, with a parameterless constructor.
public sealed class RegionHook : ILogTraceBeforeSend
{
    public bool BeforeSend(LogTraceOutgoingRecord record)
    {
        if (record.Body["metadata"] is JsonObject metadata)
            metadata["Region"] = "eu-west";
        return true;
    }
}
