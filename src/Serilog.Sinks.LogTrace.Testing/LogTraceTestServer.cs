using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serilog.Sinks.LogTrace.Testing.Internal;

namespace Serilog.Sinks.LogTrace.Testing;

/// <summary>
/// A LogTrace-compatible server in this process, on a loopback port: the service's routes, API key check, validation
/// and messages, rate limit and an optional fault schedule. Point the sink at <see cref="Endpoint"/> with any non-empty
/// key (or one of <see cref="LogTraceTestServerOptions.ApiKeys"/>), then await <see cref="WaitForRecordsAsync"/>.
/// Its page (<see cref="BaseUri"/>) lists what arrived. Dispose to stop it.
/// </summary>
public sealed class LogTraceTestServer : IAsyncDisposable
{
    readonly WebApplication _app;
    readonly RequestStore _store;

    LogTraceTestServer(WebApplication app, Uri baseUri, RequestStore store)
    {
        _app = app;
        _store = store;
        BaseUri = baseUri;
    }

    /// <summary>Starts a server, on a free loopback port unless <see cref="LogTraceTestServerOptions.Url"/> says otherwise.</summary>
    /// <exception cref="ArgumentException">An entry of <see cref="LogTraceTestServerOptions.FaultSchedule"/> is not a fault.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="LogTraceTestServerOptions.MaxKeptRequests"/> is less than 1.</exception>
    public static async Task<LogTraceTestServer> StartAsync(LogTraceTestServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new LogTraceTestServerOptions();
        ServiceRoutes.CheckOptions(options);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(options.Url);
        var app = builder.Build();
        var store = new RequestStore(options.MaxKeptRequests);
        ServiceRoutes.Map(app, options, store);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LogTraceTestServer(app, new Uri(address), store);
    }

    /// <summary>The server's address, e.g. <c>http://127.0.0.1:41234/</c>; its page is there.</summary>
    public Uri BaseUri { get; }

    /// <summary>The endpoint to configure the sink with, e.g. <c>http://127.0.0.1:41234/v1/developers</c>.</summary>
    public string Endpoint => BaseUri.ToString().TrimEnd('/') + ServiceRoutes.DevelopersPath;

    /// <summary>The records accepted so far, of every kind, in arrival order.</summary>
    public IReadOnlyList<LogTraceRecord> Records => _store.Records;

    /// <summary>Every request answered so far, accepted or not, unknown routes included, in arrival order.</summary>
    public IReadOnlyList<LogTraceRequest> Requests => _store.Requests;

    /// <summary>The requests not accepted, in arrival order, each with its status and the service's message.</summary>
    public IReadOnlyList<LogTraceRequest> RefusedRequests => _store.Requests.Where(r => !r.Accepted).ToArray();

    /// <summary>
    /// How many of the oldest requests were let go since the start (or the last <see cref="Clear"/>) to keep within
    /// <see cref="LogTraceTestServerOptions.MaxKeptRequests"/> and the bound on kept bodies.
    /// </summary>
    public long DroppedRequests => _store.Dropped;

    internal RequestStore Store => _store;

    /// <summary>Forgets every request received, and the count of those let go.</summary>
    public void Clear() => _store.Clear();

    /// <summary>
    /// Waits until at least <paramref name="count"/> records have been accepted and returns them all, in arrival order.
    /// </summary>
    /// <exception cref="TimeoutException">The count was not reached in time; the message names the records that did
    /// arrive and the requests refused, with the service's messages.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is more than the server keeps
    /// (<see cref="LogTraceTestServerOptions.MaxKeptRequests"/>), so it could never be reached.</exception>
    public async Task<IReadOnlyList<LogTraceRecord>> WaitForRecordsAsync(int count, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (count > _store.MaxKept)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count,
                "The server keeps at most " + _store.MaxKept + " requests (MaxKeptRequests), so " + count + " records could never be waited for.");
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            var changed = _store.Changed;
            var records = _store.Records;
            if (records.Count >= count)
                return records;
            try
            {
                await changed.WaitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException(Describe(count, timeout));
            }
        }
    }

    string Describe(int count, TimeSpan timeout)
    {
        var records = _store.Records;
        var refused = RefusedRequests;
        var text = new StringBuilder()
            .Append("Expected ").Append(count).Append(count == 1 ? " record" : " records").Append(" at ").Append(Endpoint)
            .Append(" within ").Append(timeout).Append(", but ").Append(records.Count).Append(" arrived");
        text.Append(records.Count == 0 ? "" : ": " + string.Join(", ", records)).Append('.');
        if (refused.Count == 0)
            text.Append(" No request was refused.");
        else
            text.Append(' ').Append(refused.Count).Append(refused.Count == 1 ? " request was" : " requests were").Append(" refused: ")
                .Append(string.Join("; ", refused)).Append('.');
        return text.ToString();
    }

    /// <summary>Stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
