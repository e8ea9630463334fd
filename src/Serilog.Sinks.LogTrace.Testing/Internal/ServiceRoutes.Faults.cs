using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Serilog.Sinks.LogTrace.Testing.Internal;

// Misbehaviour on purpose, for delivery tests: LogTraceTestServerOptions.FaultSchedule and RejectNames, on every record
// route.
internal static partial class ServiceRoutes
{
    static string? NextFault(LogTraceTestServerOptions options, JsonElement body, StrongBox<int> recordRequests)
    {
        if (options.RejectNames.Count > 0 && ServiceValidation.Text(body, "name") is { } name && options.RejectNames.Contains(name, StringComparer.Ordinal))
            return "400";
        var index = Interlocked.Increment(ref recordRequests.Value) - 1;
        return index < options.FaultSchedule.Count ? options.FaultSchedule[index].Trim() : null;
    }

    // A mistyped entry would otherwise surface only as an unrecorded 500 from inside the request (the server has no
    // logging), which the sink retries as a transient failure: the test sees a delay, not the cause. Refused at start.
    // What a server's options must hold, checked before it starts (StartAsync) or is mapped into a host (the collector).
    internal static void CheckOptions(LogTraceTestServerOptions options)
    {
        CheckFaultSchedule(options.FaultSchedule);
        if (options.MaxKeptRequests < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxKeptRequests,
                "MaxKeptRequests must be at least 1; it was " + options.MaxKeptRequests + ".");
        }
    }

    static void CheckFaultSchedule(IList<string> schedule)
    {
        for (var i = 0; i < schedule.Count; i++)
        {
            if (schedule[i] is not { } entry || !IsFault(entry.Trim()))
                throw new ArgumentException("FaultSchedule[" + i + "] is '" + schedule[i] + "', which is not a fault: use ok, a status (503), " +
                    "STATUS:SECONDS (503:5), abort, stall, stall-after-store, stall-body or STATUS>LOCATION (307>http://...).", "options");
        }
    }

    static bool IsFault(string fault)
    {
        if (fault.ToLowerInvariant() is "" or "ok" or "abort" or "stall" or "stall-after-store" or "stall-body")
            return true;
        var redirect = fault.IndexOf('>');
        var status = redirect > 0 ? fault.Substring(0, redirect) : fault.Split(':')[0];
        return int.TryParse(status, NumberStyles.Integer, CultureInfo.InvariantCulture, out _);
    }

    // Answers with the fault and returns true, or returns false for "ok" (answer normally).
    static async Task<bool> InjectFaultAsync(Exchange exchange, LogTraceTestServerOptions options, RequestStore store, string fault)
    {
        var context = exchange.Context;
        var kind = exchange.Kind!.Value;
        switch (fault.ToLowerInvariant())
        {
            case "" or "ok":
                return false;
            case "abort":
                Record(exchange, options, store, 0, "connection aborted by fault injection");
                context.Abort();
                return true;
            case "stall":
                Record(exchange, options, store, 0, "stalled by fault injection");
                await StallAsync(context);
                return true;
            case "stall-after-store":
                Record(exchange, options, store, 202, ServiceValidation.Accepted(WireName(kind)) + " (then stalled by fault injection)");
                await StallAsync(context);
                return true;
            case "stall-body":
                // An error answer whose body starts and never finishes: the client must give up on its own.
                Record(exchange, options, store, 500, "error answer with a stalled body (fault injection)");
                context.Response.StatusCode = 500;
                context.Response.ContentType = "application/json";
                context.Response.ContentLength = 100_000;
                await context.Response.Body.WriteAsync("{\"message\": \"fail"u8.ToArray());
                await context.Response.Body.FlushAsync();
                await StallAsync(context);
                return true;
        }

        var redirect = fault.IndexOf('>');
        if (redirect > 0)
        {
            // STATUS>LOCATION: a redirect, as a service that moved (or an http:// endpoint sent to https://) answers.
            Record(exchange, options, store, int.Parse(fault.Substring(0, redirect), CultureInfo.InvariantCulture),
                "redirect by fault injection");
            context.Response.StatusCode = int.Parse(fault.Substring(0, redirect), CultureInfo.InvariantCulture);
            context.Response.Headers.Location = fault.Substring(redirect + 1);
            return true;
        }

        var parts = fault.Split(':');
        if (!int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var status))
        {
            // Checked at start, so only an entry added to the options afterwards: answered and kept like any request.
            await Answer(exchange, options, store, 500, "FaultSchedule entry '" + fault + "' is not a fault");
            return true;
        }
        if (parts.Length > 1)
            context.Response.Headers["Retry-After"] = parts[1];
        else if (status == 429)
            context.Response.Headers["Retry-After"] = ((int)Math.Ceiling(options.RateLimitWindow.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

        var message = status switch
        {
            400 => "failed to validate payload",
            401 => "API key not found",
            429 => "Too Many Requests",
            500 => "failed to enqueue " + (kind == LogTraceRecordKind.AuditLog ? "audit log" : kind == LogTraceRecordKind.Event ? "event" : "session"),
            _ => "fault injected by the collector",
        };
        await Answer(exchange, options, store, status, message, plainText: status == 429);
        return true;
    }

    static async Task StallAsync(HttpContext context)
    {
        try
        {
            // Until the client gives up, or the server stops: then the connection is dropped (not answered, which would
            // read as delivered), so that disposing the server does not wait for the host's shutdown timeout.
            using var either = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, ServerStopping(context));
            await Task.Delay(Timeout.Infinite, either.Token);
        }
        catch (OperationCanceledException)
        {
            // The client gave up, as intended; or the server is stopping.
            if (!context.RequestAborted.IsCancellationRequested)
                context.Abort();
        }
    }
}
