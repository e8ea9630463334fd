using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace LogTrace.Collector;

// Misbehaviour on purpose, for delivery tests: CollectorOptions.FaultSchedule and RejectEventNames, on every record
// route.
public static partial class LogTraceCollector
{
    static string? NextFault(CollectorOptions options, JsonElement body, StrongBox<int> recordRequests)
    {
        if (options.RejectEventNames.Count > 0 && Text(body, "name") is { } name && options.RejectEventNames.Contains(name, StringComparer.Ordinal))
            return "400";
        var index = Interlocked.Increment(ref recordRequests.Value) - 1;
        return index < options.FaultSchedule.Count ? options.FaultSchedule[index].Trim() : null;
    }

    // Answers with the fault and returns true, or returns false for "ok" (answer normally).
    static async Task<bool> InjectFaultAsync(HttpContext context, CollectorOptions options, CollectorStore store, string kind, string clientIp,
        string? authenticatedBy, JsonElement body, string fault)
    {
        switch (fault.ToLowerInvariant())
        {
            case "" or "ok":
                return false;
            case "abort":
                store.Add(Record(context, options, kind, clientIp, 0, "connection aborted by fault injection", authenticatedBy, body));
                context.Abort();
                return true;
            case "stall":
                store.Add(Record(context, options, kind, clientIp, 0, "stalled by fault injection", authenticatedBy, body));
                await StallAsync(context);
                return true;
            case "stall-after-store":
                store.Add(Record(context, options, kind, clientIp, 202, Accepted(kind) + " (then stalled by fault injection)", authenticatedBy, body));
                await StallAsync(context);
                return true;
            case "stall-body":
                // An error answer whose body starts and never finishes: the client must give up on its own.
                store.Add(Record(context, options, kind, clientIp, 500, "error answer with a stalled body (fault injection)", authenticatedBy, body));
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
            store.Add(Record(context, options, kind, clientIp, int.Parse(fault.Substring(0, redirect), CultureInfo.InvariantCulture),
                "redirect by fault injection", authenticatedBy, body));
            context.Response.StatusCode = int.Parse(fault.Substring(0, redirect), CultureInfo.InvariantCulture);
            context.Response.Headers.Location = fault.Substring(redirect + 1);
            return true;
        }

        var parts = fault.Split(':');
        if (!int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var status))
            throw new InvalidOperationException("Unknown collector fault '" + fault + "'.");
        if (parts.Length > 1)
            context.Response.Headers["Retry-After"] = parts[1];
        else if (status == 429)
            context.Response.Headers["Retry-After"] = ((int)Math.Ceiling(options.RateLimitWindow.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

        var message = status switch
        {
            400 => "failed to validate payload",
            401 => "API key not found",
            429 => "Too Many Requests",
            500 => "failed to enqueue " + (kind == "audit-log" ? "audit log" : kind == "event" ? "event" : "session"),
            _ => "fault injected by the collector",
        };
        await Answer(context, options, store, kind, clientIp, status, message, authenticatedBy, body, plainText: status == 429);
        return true;
    }

    static async Task StallAsync(HttpContext context)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The client gave up, as intended.
        }
    }
}
