using System;
using System.Threading;
using System.Threading.Tasks;

namespace Serilog.Sinks.LogTrace.Http;

// The one seam between delivery logic and the network, so delivery can be tested without sockets. The real
// implementation is also tested against a LogTrace-compatible server on loopback.
abstract class LogTraceApi : IDisposable
{
    // Sends one event body (the service has no batch endpoint). Transport failures (connection refused, reset,
    // timeout) throw; every HTTP answer, success or not, is returned.
    public abstract Task<LogTraceResponse> PostEventAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken);

    public virtual void Dispose()
    {
    }
}

readonly struct LogTraceResponse
{
    public LogTraceResponse(int statusCode, string? message)
    {
        StatusCode = statusCode;
        Message = message;
    }

    public int StatusCode { get; }

    // The service's {"message": "..."} text, or the plain-text body (429 answers), when the answer is not a success.
    public string? Message { get; }

    public bool IsSuccess => StatusCode is >= 200 and <= 299;
}
