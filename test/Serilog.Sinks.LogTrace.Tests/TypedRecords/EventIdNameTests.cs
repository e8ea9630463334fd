using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Serilog.Core;
using Serilog.Extensions.Logging;
using Serilog.Sinks.LogTrace.Tests.Support;
using static Serilog.Sinks.LogTrace.Tests.Support.CollectorHelpers;

namespace Serilog.Sinks.LogTrace.Tests.TypedRecords;

// The opt-in for [LoggerMessage] users: a named EventId makes the event, through Serilog's MEL provider, against the
// LogTrace-compatible server on 127.0.0.1.
public partial class EventIdNameTests
{
    [LoggerMessage(EventId = 7101, EventName = "invoice.created", Level = LogLevel.Information, Message = "Invoice {InvoiceId} created for {UserId}")]
    static partial void InvoiceCreated(Microsoft.Extensions.Logging.ILogger logger, int invoiceId, string userId);

    // No EventName: the generator names the EventId "InvoiceViewed", which is not a record's name (no dot).
    [LoggerMessage(EventId = 7102, Level = LogLevel.Information, Message = "Invoice {InvoiceId} viewed")]
    static partial void InvoiceViewed(Microsoft.Extensions.Logging.ILogger logger, int invoiceId);

    static async Task<IReadOnlyList<System.Text.Json.JsonElement>> SendAsync(Func<LoggerConfiguration, string, LoggerConfiguration> configure)
    {
        await using var collector = await StartAsync();
        var other = new CollectingSink();
        using (var logger = (Logger)configure(new LoggerConfiguration().WriteTo.Sink(other), collector.DevelopersEndpoint).CreateLogger())
        using (var provider = new SerilogLoggerProvider(logger))
        {
            var mel = provider.CreateLogger("Billing.Invoices");
            InvoiceCreated(mel, 42, "u-17");
            InvoiceViewed(mel, 42);
            mel.LogInformation("A plain line");
        }
        // Other sinks see the events as logged: no EventName added.
        Assert.Equal(3, other.Events.Count);
        Assert.All(other.Events, e => Assert.False(e.Properties.ContainsKey(LogTraceProperties.EventName)));
        return collector.Store.Events.Select(e => e.Json()).ToList();
    }

    [Fact]
    public async Task WithTheOptInANamedEventIdIsSentAsThatEvent()
    {
        var sent = await SendAsync((configuration, endpoint) =>
            configuration.WriteTo.LogTrace(o =>
            {
                o.ApiKey = ApiKey;
                o.Endpoint = endpoint;
                o.EventNameFromEventId = true;
            }));

        var body = Assert.Single(sent);
        Assert.Equal("invoice.created", body.GetProperty("name").GetString());
        Assert.Equal("u-17", body.GetProperty("user_id").GetString());
        Assert.Equal(42, body.GetProperty("metadata").GetProperty("InvoiceId").GetInt32());
    }

    [Fact]
    public async Task WithoutTheOptInNothingIsSent()
    {
        var sent = await SendAsync((configuration, endpoint) => configuration.WriteTo.LogTrace(ApiKey, endpoint));
        Assert.Empty(sent);
    }

    [Fact]
    public async Task TheOptInIsReachableFromAppSettings()
    {
        var sent = await SendAsync((configuration, endpoint) => configuration.ReadFrom.Configuration(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Serilog:Using:0"] = "Serilog.Sinks.LogTrace",
                ["Serilog:WriteTo:0:Name"] = "LogTrace",
                ["Serilog:WriteTo:0:Args:apiKey"] = ApiKey,
                ["Serilog:WriteTo:0:Args:endpoint"] = endpoint,
                ["Serilog:WriteTo:0:Args:eventNameFromEventId"] = "true",
            })
            .Build()));

        Assert.Equal("invoice.created", Assert.Single(sent).GetProperty("name").GetString());
    }

    static Serilog.Events.LogEvent WithEventId(Serilog.Events.LogEventPropertyValue? eventId)
    {
        var properties = eventId == null
            ? Array.Empty<Serilog.Events.LogEventProperty>()
            : new[] { new Serilog.Events.LogEventProperty("EventId", eventId) };
        return new Serilog.Events.LogEvent(DateTimeOffset.UtcNow, Serilog.Events.LogEventLevel.Information, null,
            new Serilog.Parsing.MessageTemplateParser().Parse("Something"), properties);
    }

    static Serilog.Events.StructureValue Id(object? name) => new(new[]
    {
        new Serilog.Events.LogEventProperty("Id", new Serilog.Events.ScalarValue(7)),
        new Serilog.Events.LogEventProperty("Name", new Serilog.Events.ScalarValue(name)),
    });

    [Theory]
    [InlineData("invoice.created", true)]
    [InlineData("InvoiceCreated", false)]
    [InlineData(".hidden", false)]
    [InlineData(" . ", true)]
    [InlineData("", false)]
    public void OnlyANameWithADotAfterItsFirstCharacterIsARecordsName(string name, bool counts)
    {
        Assert.Equal(counts, Serilog.Sinks.LogTrace.Records.EventIdNames.TryGetName(WithEventId(Id(name)), out var found));
        Assert.Equal(counts ? name : "", found);
    }

    [Fact]
    public void AnEventIdThatIsNotANamedStructureNamesNothing()
    {
        Assert.False(Serilog.Sinks.LogTrace.Records.EventIdNames.TryGetName(WithEventId(null), out _));
        Assert.False(Serilog.Sinks.LogTrace.Records.EventIdNames.TryGetName(WithEventId(new Serilog.Events.ScalarValue("invoice.created")), out _));
        Assert.False(Serilog.Sinks.LogTrace.Records.EventIdNames.TryGetName(WithEventId(Id(null)), out _));
        Assert.False(Serilog.Sinks.LogTrace.Records.EventIdNames.TryGetName(WithEventId(Id(12.5)), out _));
    }

    [Fact]
    public void TheCopyCarriesTheNameAndEverythingElseOfTheEvent()
    {
        var original = WithEventId(Id("invoice.created"));
        var copy = Serilog.Sinks.LogTrace.Records.EventIdNames.WithEventName(original, "invoice.created");
        Assert.Equal("\"invoice.created\"", copy.Properties[LogTraceProperties.EventName].ToString());
        Assert.Same(original.Properties["EventId"], copy.Properties["EventId"]);
        Assert.Equal(original.Timestamp, copy.Timestamp);
        Assert.Same(original.MessageTemplate, copy.MessageTemplate);
        Assert.False(original.Properties.ContainsKey(LogTraceProperties.EventName));
    }
}
