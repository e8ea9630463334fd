using System;

namespace Serilog.Sinks.LogTrace.AspNetCore;

// Checked when the middleware is added, so a mistake fails at startup with the fix rather than on a request.
static class OptionsValidator
{
    // The sink's own bounds on request_headers (RequestHeadersWriter in the core package, which this package cannot
    // see); a test keeps them equal. Capturing more than the sink sends would only cost memory.
    internal const int SinkMaxHeaderCount = 128;
    internal const int SinkMaxHeaderNameLength = 256;
    internal const int SinkMaxHeaderBlockBytes = 16_384;

    public static void Validate(LogTraceHttpContextOptions options)
    {
        Duration(nameof(options.MaxEventHold), options.MaxEventHold);
        Duration(nameof(options.AttachAfterCompletion), options.AttachAfterCompletion);
        if (options.MaxHeaderValueLength <= 0)
            throw Invalid(nameof(options.MaxHeaderValueLength), "must be greater than zero", options.MaxHeaderValueLength);
        InRange(nameof(options.MaxHeaderCount), options.MaxHeaderCount, SinkMaxHeaderCount);
        InRange(nameof(options.MaxHeaderNameLength), options.MaxHeaderNameLength, SinkMaxHeaderNameLength);
        InRange(nameof(options.MaxHeaderBlockBytes), options.MaxHeaderBlockBytes, SinkMaxHeaderBlockBytes);
        // The request id is sent as it is, never redacted: a credential's header must not become it.
        if (options.RequestIdHeader is { Length: > 0 } header && LogTraceRedaction.IsSensitiveHeader(header))
            throw Invalid(nameof(options.RequestIdHeader), "must not be a sensitive header (its value would be sent as the request id)", header);
    }

    // The sink holds no event longer than an hour; and in appsettings.json a bare number is days ("5" is five days).
    internal static readonly TimeSpan MaxDuration = TimeSpan.FromHours(1);

    static void Duration(string name, TimeSpan value)
    {
        if (value < TimeSpan.Zero)
            throw Invalid(name, "must not be negative", value);
        if (value > MaxDuration)
        {
            var hint = value.Ticks % TimeSpan.TicksPerDay == 0 && value.TotalDays <= 3600
                ? " In appsettings.json a bare number is read as days: did you mean \"" +
                  TimeSpan.FromSeconds(value.TotalDays).ToString("c", System.Globalization.CultureInfo.InvariantCulture) + "\"?"
                : "";
            throw new InvalidOperationException("LogTraceHttpContextOptions." + name + " must be at most " + MaxDuration + "; it was " + value + "." + hint);
        }
    }

    static void InRange(string name, int value, int sinkLimit)
    {
        if (value <= 0 || value > sinkLimit)
            throw Invalid(name, "must be between 1 and " + sinkLimit + " (the sink sends no more than that)", value);
    }

    static InvalidOperationException Invalid(string name, string rule, object value) =>
        new("LogTraceHttpContextOptions." + name + " " + rule + "; it was " + value + ".");
}
