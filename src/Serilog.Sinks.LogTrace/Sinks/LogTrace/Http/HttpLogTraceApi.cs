using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Serilog.Sinks.LogTrace.Configuration;
using Serilog.Sinks.LogTrace.Records;

namespace Serilog.Sinks.LogTrace.Http;

sealed class HttpLogTraceApi : LogTraceApi
{
    internal const string ApiKeyHeader = "X-API-Key";
    internal const string ContentType = "application/json; charset=utf-8";
    // Error bodies are short JSON messages; anything longer is not worth reading into a SelfLog line.
    internal const int MaxMessageBytes = 2048;

    internal static readonly string UserAgent = "Serilog.Sinks.LogTrace/" + PackageVersion.Current;

    // Not an HttpClient: its SendAsync links one more cancellation source per request (its own, for its timeout and
    // CancelPendingRequests, neither of which the sink uses) and copies its default headers into every request.
    readonly HttpMessageInvoker _invoker;
    readonly string _apiKey;
    readonly Uri[] _routes = new Uri[RecordKinds.Count];
    readonly TimeSpan _timeout;

    // baseUri: the ingestion base URL (LogTraceSinkSettings.BaseUri); each kind of record goes to its route under it.
    public HttpLogTraceApi(Uri baseUri, string apiKey, TimeSpan timeout, HttpMessageHandler? messageHandler)
    {
        for (var i = 0; i < _routes.Length; i++)
            _routes[i] = LogTraceSinkSettings.RouteOf(baseUri, (RecordKind)i);
        _timeout = timeout;
        if (messageHandler != null)
            RedirectGuard.RequireNoAutoRedirect(messageHandler);
        // A caller's handler may be shared with other clients: it is theirs to dispose.
        _invoker = messageHandler != null
            ? new HttpMessageInvoker(messageHandler, disposeHandler: false)
            : new HttpMessageInvoker(CreateHandler(), disposeHandler: true);
        _apiKey = apiKey;
    }

    public override Uri RouteOf(RecordKind kind) => _routes[(int)kind];

    static HttpMessageHandler CreateHandler()
    {
#if NET8_0_OR_GREATER
        return new SocketsHttpHandler
        {
            // Recycle pooled connections so a DNS change of the service is seen by a long-running process.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            // The sink's own requests are not part of the application's traces.
            ActivityHeadersPropagator = null,
            UseCookies = false,
            // A redirect would carry the API key (and, on 307/308, the event) to whatever host it names.
            AllowAutoRedirect = false,
        };
#else
        return new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false };
#endif
    }

    public override async Task<LogTraceResponse> PostAsync(RecordKind kind, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var route = _routes[(int)kind];
        using var content = CreateContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
        using var request = new HttpRequestMessage(HttpMethod.Post, route) { Content = content };
        // The key was checked at configuration (printable ASCII only), so it cannot inject a header line.
        request.Headers.TryAddWithoutValidation(ApiKeyHeader, _apiKey);
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        // One timeout for the whole exchange, headers and body: a peer that answers and then stalls must not hold a
        // sender (or the shutdown deadline) for longer than this. The handler answers once the headers are in (what
        // HttpClient calls ResponseHeadersRead): the body is read, if at all, within the same timeout.
        using var exchange = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        exchange.CancelAfter(_timeout);
        using var response = await _invoker.SendAsync(request, exchange.Token).ConfigureAwait(false)
            // What HttpClient says of a caller's handler that answers with nothing.
            ?? throw new InvalidOperationException("The message handler did not return a response message.");

        var status = (int)response.StatusCode;
        var rateLimit = ReadRateLimit(response.Headers);
        var retryAfter = ReadRetryAfter(response.Headers);
        // The service's clock is read only where something is measured against it (a reset, a Retry-After date):
        // parsing the Date of every accepted answer cost each request a header parse under the headers' lock.
        var date = rateLimit.IsPresent || retryAfter.IsDate ? ReadDate(response.Headers) : null;
        if (status is >= 300 and <= 399)
            return new LogTraceResponse(status, null, rateLimit, retryAfter, RedirectGuard.DescribeLocation(response.Headers.Location, route), date);
        if (RedirectGuard.WasRedirected(response, route))
        {
            // A handler we do not control followed a redirect after all: the answer is not the service's.
            return new LogTraceResponse(status, null, rateLimit, retryAfter, RedirectGuard.DescribeLocation(response.RequestMessage?.RequestUri, route), date);
        }
        if (status is >= 200 and <= 299)
            return new LogTraceResponse(status, null, rateLimit, retryAfter, date: date);

        var message = await ReadMessageAsync(response, exchange.Token, cancellationToken).ConfigureAwait(false);
        return new LogTraceResponse(status, message, rateLimit, retryAfter, date: date);
    }

    static RateLimitHeaders ReadRateLimit(HttpResponseHeaders headers)
    {
        if (TryReadLong(headers, "X-RateLimit-Limit", out var limit) &&
            TryReadLong(headers, "X-RateLimit-Remaining", out var remaining) &&
            TryReadLong(headers, "X-RateLimit-Reset", out var reset) &&
            limit > 0 && remaining >= 0 && reset is > 0 and < 253402300800)
        {
            return new RateLimitHeaders((int)Math.Min(limit, int.MaxValue), (int)Math.Min(remaining, int.MaxValue),
                DateTimeOffset.FromUnixTimeSeconds(reset));
        }
        return default;
    }

    static bool TryReadLong(HttpResponseHeaders headers, string name, out long value)
    {
        value = 0;
        return headers.TryGetValues(name, out var values) &&
            long.TryParse(values.FirstOrDefault()?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
    }

    // The service's clock, which the reset and a Retry-After date are measured against (never the local clock).
    static DateTimeOffset? ReadDate(HttpResponseHeaders headers)
    {
        try
        {
            return headers.Date;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    static RetryAfter ReadRetryAfter(HttpResponseHeaders headers)
    {
        var retryAfter = headers.RetryAfter;
        if (retryAfter?.Delta is { } delta)
            return RetryAfter.After(delta);
        if (retryAfter?.Date is { } date)
            return RetryAfter.At(date);
        return default;
    }

    static HttpContent CreateContent(ReadOnlyMemory<byte> body)
    {
#if NET8_0_OR_GREATER
        return new ReadOnlyMemoryContent(body);
#else
        return MemoryMarshal.TryGetArray(body, out var segment)
            ? new ByteArrayContent(segment.Array!, segment.Offset, segment.Count)
            : new ByteArrayContent(body.ToArray());
#endif
    }

    // Reads at most MaxMessageBytes of an error answer, within the exchange's timeout: the message is only for a
    // SelfLog line, and a body that stalls or never ends must not hold the sender.
    static async Task<string?> ReadMessageAsync(HttpResponseMessage response, CancellationToken cancellationToken, CancellationToken shutdown)
    {
        // Disposing the response aborts the connection: the one way to stop a read that ignores the token.
        using var abort = cancellationToken.Register(static r => ((HttpResponseMessage)r!).Dispose(), response);
        try
        {
            using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            var buffer = new byte[MaxMessageBytes];
            var read = 0;
            while (read < buffer.Length)
            {
                var n = await stream.ReadAsync(buffer, read, buffer.Length - read, cancellationToken).ConfigureAwait(false);
                if (n <= 0)
                    break;
                read += n;
            }

            if (read == 0)
                return null;

            return ExtractMessage(buffer.AsSpan(0, read));
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException or ObjectDisposedException)
        {
            // The status is what delivery acts on; a body that could not be read in time only costs the message.
            if (!cancellationToken.IsCancellationRequested)
                return null;
            return shutdown.IsCancellationRequested
                ? "(the answer's body was cut off by the shutdown timeout)"
                : "(the answer's body was not received within the request timeout)";
        }
    }

    internal static string ExtractMessage(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("message") && reader.Read() && reader.TokenType == JsonTokenType.String)
                        return reader.GetString() ?? "";
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON (the 429 answer is plain text), or cut at MaxMessageBytes: fall back to the raw text.
        }

        return Encoding.UTF8.GetString(body.ToArray()).Trim();
    }

    public override void Dispose() => _invoker.Dispose();
}
