using Microsoft.Extensions.Logging;
using Serilog.Extensions.Logging;
using static Serilog.Sinks.LogTrace.Tests.Support.CollectorHelpers;

namespace Serilog.Sinks.LogTrace.Tests.Integration;

// A worker service: Microsoft.Extensions.Logging with Serilog as the provider, the core package and nothing of
// ASP.NET Core (this file is also compiled into the netstandard2.0 leg, which references only the core package).
public class MicrosoftLoggingTests
{
    [Fact]
    public async Task RecordEventNamesOneEventAndNothingElseLoggedMeanwhile()
    {
        await using var collector = await StartAsync();
        var serilog = new LoggerConfiguration().WriteTo.LogTrace(ApiKey, collector.DevelopersEndpoint).CreateLogger();
        using (var factory = new SerilogLoggerFactory(serilog, dispose: true))
        {
            var logger = factory.CreateLogger("Worker");
            logger.LogInformation("Ordinary line before");
            logger.RecordEvent("invoice.created", "Invoice {InvoiceId} created", "INV-1");
            logger.RecordEvent(LogLevel.Warning, "api_key.revoked", null, "API key {KeyId} revoked", "key-7");
            logger.LogInformation("Ordinary line after");
        }

        var events = collector.Store.Events.OrderBy(e => e.Name()).ToArray();
        Assert.Equal(new[] { "api_key.revoked", "invoice.created" }, events.Select(e => e.Name()));
        var metadata = events[1].Json().GetProperty("metadata");
        Assert.Equal("INV-1", metadata.GetProperty("InvoiceId").GetString());
        Assert.Equal("Warning", events[0].Json().GetProperty("metadata").GetProperty("level").GetString());
    }

    [Fact]
    public void AnEventNeedsAName()
    {
        using var factory = new SerilogLoggerFactory(new LoggerConfiguration().CreateLogger(), dispose: true);
        Assert.Throws<ArgumentException>(() => factory.CreateLogger("Worker").RecordEvent(" ", "No name"));
    }
}
