using System.Text;
using Microsoft.Extensions.Configuration;
using Serilog.Sinks.LogTrace.Testing;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Flush;

// LogTraceStatus.FlushAsync, the public way in: it needs no reference to a sink, so it reaches one configured from
// appsettings.json. It flushes every live sink of the process, so these tests run in the collection that runs alone.
[Collection(SelfLogCollection.Name)]
public class FlushAppSettingsTests
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    static IConfiguration Json(string endpoint) => new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes($$"""
        {
          "Serilog": {
            "Using": [ "Serilog.Sinks.LogTrace" ],
            "WriteTo": [
              { "Name": "LogTrace", "Args": { "apiKey": "{{Some.ApiKey}}", "endpoint": "{{endpoint}}", "maxConcurrentRequests": 2 } }
            ]
          }
        }
        """))).Build();

    [Fact]
    public async Task ASinkConfiguredFromAppSettingsIsFlushedWithoutAReferenceToIt()
    {
        await using var server = await LogTraceTestServer.StartAsync(new LogTraceTestServerOptions { RateLimitEnabled = false });
        using var logger = new LoggerConfiguration().ReadFrom.Configuration(Json(server.Endpoint)).CreateLogger();

        for (var i = 0; i < 4; i++)
            logger.ForContext(LogTraceProperties.EventName, "appsettings.flushed").Information("Number {N}", i);
        var result = await LogTraceStatus.FlushAsync(Timeout);

        Assert.Equal(4, server.Records.Count);
        Assert.True(result.Completed, "remaining: " + result.Remaining);
        Assert.True(result.Sinks >= 1);
    }

    // The AWS Lambda / Azure Functions pattern (docs/flush-and-dry-run.md): the host may freeze the process as soon as
    // an invocation returns, so each invocation flushes before it returns. Every record of an invocation has arrived
    // by then, and the logger is never disposed between invocations.
    [Fact]
    public async Task EachServerlessInvocationDeliversItsRecordsBeforeItReturns()
    {
        await using var server = await LogTraceTestServer.StartAsync(new LogTraceTestServerOptions { RateLimitEnabled = false });
        using var logger = new LoggerConfiguration().ReadFrom.Configuration(Json(server.Endpoint)).CreateLogger();
        var function = new Function(logger);

        for (var invocation = 1; invocation <= 3; invocation++)
        {
            var result = await function.HandleAsync("order-" + invocation);

            Assert.True(result.Completed, "invocation " + invocation + " left " + result.Remaining);
            Assert.Equal(invocation * 2, server.Records.Count);
            Assert.Contains(server.Records, r => r.Name == "order.placed" && r.Body.GetProperty("metadata").GetProperty("Order").GetString() == "order-" + invocation);
            Assert.Contains(server.Records, r => r.Name == "order.audited" && r.Body.GetProperty("metadata").GetProperty("Order").GetString() == "order-" + invocation);
        }
    }

    // A function handler as the doc page shows it: log, then flush in finally, before returning to the host.
    sealed class Function
    {
        readonly ILogger _logger;

        public Function(ILogger logger) => _logger = logger;

        public async Task<LogTraceFlushResult> HandleAsync(string order)
        {
            try
            {
                _logger.ForContext(LogTraceProperties.EventName, "order.placed").ForContext(LogTraceProperties.UserId, "u-1")
                    .Information("Placed {Order}", order);
                _logger.ForContext(LogTraceProperties.AuditLogName, "order.audited").ForContext(LogTraceProperties.UserId, "u-1")
                    .Information("Audited {Order}", order);
            }
            finally
            {
                // In a real handler the result goes to SelfLog or the function's own log when it is not Completed.
                Result = await LogTraceStatus.FlushAsync(TimeSpan.FromSeconds(10));
            }
            return Result;
        }

        public LogTraceFlushResult Result { get; private set; } = null!;
    }
}
