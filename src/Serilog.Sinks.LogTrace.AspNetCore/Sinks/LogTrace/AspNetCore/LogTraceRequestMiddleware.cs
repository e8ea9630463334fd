using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Serilog.Sinks.LogTrace.AspNetCore;

// Opens the per-request state that events logged in the request's async flow see, and completes it when the
// response has completed: only then are the status code the client received and the full duration known.
sealed class LogTraceRequestMiddleware : IMiddleware
{
    readonly LogTraceHttpContextOptions _options;

    public LogTraceRequestMiddleware(IOptions<LogTraceHttpContextOptions> options) => _options = options.Value;

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var state = new RequestState(context, _options);
        // Set inside this async method, the value flows into everything the request awaits or starts (Task.Run
        // included) and is gone for the server's code after it returns.
        LogTraceRequestContext.Current = state;
        // OnCompleted runs after the response was sent, whatever middleware order or exception handling changed
        // on the way out; an exception that escapes every middleware has become the server's 500 by then.
        context.Response.OnCompleted(RequestState.CompleteCallback, state);
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch
        {
            state.MarkFailed();
            throw;
        }
    }
}
