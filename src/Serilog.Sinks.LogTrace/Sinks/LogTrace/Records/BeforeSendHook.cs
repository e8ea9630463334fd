using System;
using System.Text.Json.Nodes;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Configuration;
using Serilog.Sinks.LogTrace.Pipeline;

namespace Serilog.Sinks.LogTrace.Records;

// The application's before-send hook (LogTraceSinkOptions.BeforeSend), run by EventDelivery.TryFormat on each body
// the formatter made, and so once per record for both outboxes: in memory before the body waits for a sender, with the
// durable buffer before it is written to disk. What is stored is what the hook returned: a retry, or a replay after a
// restart, sends the same bytes (and the same _event_id) without asking the hook again, so a hook that is not
// deterministic (a clock, a counter, a sampling decision) cannot give one record two outcomes, and a value the hook
// removes never reaches the disk.
//
// Without a hook there is no instance and nothing is parsed. With one, the body is parsed into a JsonObject, handed
// over, checked against what the service would refuse (OutgoingBodyRules) and written back into the same buffers.
sealed class BeforeSendHook
{
    const string DroppedDetail = "was dropped by the before-send hook (it returned false)";

    readonly Func<LogTraceOutgoingRecord, bool> _hook;
    readonly TextSanitizer _text;
    readonly LogTraceSinkSettings _settings;
    readonly string[] _kinds = new string[RecordKinds.Count];

    BeforeSendHook(Func<LogTraceOutgoingRecord, bool> hook, LogTraceSinkSettings settings, TextSanitizer text)
    {
        _hook = hook;
        _text = text;
        _settings = settings;
        for (var i = 0; i < RecordKinds.Count; i++)
            _kinds[i] = SinkStatus.KindName((RecordKind)i);
    }

    // Null when no hook is configured: the formatter's body is sent as it is.
    public static BeforeSendHook? From(LogTraceSinkSettings settings, TextSanitizer text) =>
        settings.Options.BeforeSend is { } hook ? new BeforeSendHook(hook, settings, text) : null;

    // Null when the record is to be sent: `buffers.Body` then holds the body as the hook left it. Otherwise the record
    // is finished, lost for the reason returned, with `detail` (and `exception`) for its report. Never throws.
    public LossReason? Run(RecordKind kind, FormatBuffers buffers, out string detail, out Exception? exception)
    {
        detail = "";
        exception = null;
        // What a report must not repeat: the session's token, read before the hook can change or remove it.
        var token = SessionTokens.Of(kind, buffers.Body.Span);
        JsonObject body;
        bool send;
        try
        {
            body = JsonNode.Parse(buffers.Body.Span)!.AsObject();
            send = _hook(new LogTraceOutgoingRecord(_kinds[(int)kind], _settings.RouteText(kind), body));
        }
        catch (Exception ex)
        {
            return Failed("was dropped because the before-send hook threw ", ex, token, out detail, out exception);
        }

        if (!send)
        {
            detail = DroppedDetail;
            return LossReason.DroppedByHook;
        }
        try
        {
            // Inside the try: reading a value's kind serializes a value the hook made (JsonValue.Create of any object),
            // which can throw like writing it.
            if (OutgoingBodyRules.Refusal(kind, body) is { } refusal)
            {
                detail = "was changed by the before-send hook into a body the LogTrace service would refuse (" + refusal + "), and was dropped";
                return LossReason.Invalid;
            }

            buffers.Reset();
            body.WriteTo(buffers.OutputWriter);
            buffers.OutputWriter.Flush();
            return null;
        }
        catch (Exception ex)
        {
            // A value the hook put in that cannot be written as JSON (JsonValue.Create of an object the serializer
            // cannot handle, say).
            return Failed("was dropped because the body the before-send hook returned could not be written: ", ex, token, out detail, out exception);
        }
    }

    // The exception's text without the API key or the session's token. The failure listener gets the exception itself
    // only when its text holds neither (and can be read); else a stand-in with the redacted text.
    LossReason Failed(string what, Exception ex, string? token, out string detail, out Exception exception)
    {
        var described = SessionTokens.Redact(Describe(ex), token, _text);
        detail = what + described;
        exception = SessionTokens.WithoutSecrets(ex, token, _text, described);
        return LossReason.HookFailed;
    }

    // Never throws: an exception whose Message throws is named by its type.
    static string Describe(Exception ex)
    {
        try
        {
            return ex.GetType().Name + ": " + ex.Message;
        }
        catch (Exception)
        {
            return ex.GetType().Name + " (whose message could not be read)";
        }
    }
}
