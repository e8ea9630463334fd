using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Serilog.Sinks.LogTrace.Testing;
using Serilog.Sinks.LogTrace.Testing.Internal;

namespace LogTrace.Collector;

/// <summary>
/// The local stand-in for the LogTrace ingestion API: a host over Serilog.Sinks.LogTrace.Testing's server (the
/// service's routes, validation, rate limit and faults, docs/logtrace-api.md), with its page at / and its JSON under
/// /_collector/. The samples start it; the tests use it through these names.
/// </summary>
public static class LogTraceCollector
{
    public const string DevelopersPath = ServiceRoutes.DevelopersPath;

    /// <summary>Starts a collector in this process, on a free port of 127.0.0.1 unless another URL is given.</summary>
    public static async Task<RunningCollector> StartAsync(CollectorOptions? options = null, string url = "http://127.0.0.1:0")
    {
        var server = await LogTraceTestServer.StartAsync((options ?? new CollectorOptions()).ToServerOptions(url)).ConfigureAwait(false);
        return new RunningCollector(server);
    }

    /// <summary>Adds the collector's routes and page to an application, keeping at most <see cref="CollectorOptions.MaxKeptRequests"/>.</summary>
    /// <exception cref="ArgumentException">An entry of <see cref="CollectorOptions.FaultSchedule"/> is not a fault.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="CollectorOptions.MaxKeptRequests"/> is less than 1.</exception>
    public static CollectorStore Map(WebApplication app, CollectorOptions options)
    {
        var serverOptions = options.ToServerOptions();
        ServiceRoutes.CheckOptions(serverOptions);
        var store = new RequestStore(serverOptions.MaxKeptRequests);
        ServiceRoutes.Map(app, serverOptions, store);
        return new CollectorStore(store);
    }

    /// <summary>The service's rules for an event.</summary>
    public static (int Status, string Message) ValidateEvent(JsonElement body) => ServiceValidation.ValidateEvent(body);

    /// <summary>The service's rules for a session.</summary>
    public static (int Status, string Message) ValidateSession(JsonElement body) => ServiceValidation.ValidateSession(body);

    /// <summary>The service's rules for a sign-out.</summary>
    public static (int Status, string Message) ValidateLogout(JsonElement body) => ServiceValidation.ValidateLogout(body);

    /// <summary>The service's rules for an audit log.</summary>
    public static (int Status, string Message) ValidateAuditLog(JsonElement body) => ServiceValidation.ValidateAuditLog(body);
}

/// <summary>A collector started in this process; dispose to stop it.</summary>
public sealed class RunningCollector : IAsyncDisposable
{
    internal RunningCollector(LogTraceTestServer server)
    {
        Server = server;
        Store = new CollectorStore(server.Store);
    }

    /// <summary>The server it hosts.</summary>
    public LogTraceTestServer Server { get; }

    public Uri BaseUri => Server.BaseUri;

    /// <summary>The base URL to configure the sink with.</summary>
    public string DevelopersEndpoint => Server.Endpoint;

    public CollectorStore Store { get; }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
