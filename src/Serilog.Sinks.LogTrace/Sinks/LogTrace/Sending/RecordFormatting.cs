using System;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Pipeline;
using Serilog.Sinks.LogTrace.Records;

namespace Serilog.Sinks.LogTrace.Sending;

// Turns a pending record into the body that will be sent, once: the formatter, then the before-send hook. A record
// that can never be accepted is counted lost here, before any request.
sealed class RecordFormatting
{
    readonly LogTraceEventFormatter _formatter;
    readonly RecordLedger _admission;
    readonly IgnoredMarkers? _ignored;

    public RecordFormatting(LogTraceEventFormatter formatter, RecordLedger admission, IgnoredMarkers? ignored)
    {
        _formatter = formatter;
        _admission = admission;
        _ignored = ignored;
    }

    // False when the event is finished (not a record after all, or lost); true when its body is in the buffers, to be
    // sent to the route of `kind`. What can never be accepted is dropped here, before a request: a 400 is final, and
    // an invalid session status would be one for every retry. The before-send hook runs here, once per record, for
    // both outboxes: before the body waits for a sender, or is written to the durable buffer.
    public bool TryFormat(in PendingRecord record, FormatBuffers buffers, out RecordKind kind)
    {
        FormatOutcome formatted;
        try
        {
            formatted = _formatter.Format(record.Event, record.Request, buffers, out kind);
        }
        catch (Exception ex)
        {
            kind = RecordKind.Event;
            _admission.Lost(record, LossReason.Invalid, "could not be formatted, and was dropped", ex);
            return false;
        }

        if (formatted == FormatOutcome.Formatted)
        {
            if (kind == RecordKind.SessionLogout)
                _ignored?.SignedOut(record.Event);
            // The body as it will be sent is the hook's, if there is one (Records/BeforeSendHook.cs).
            if (_formatter.BeforeSend?.Run(kind, buffers, out var detail, out var failure) is not { } reason)
                return true;
            _admission.Lost(record, reason, detail, failure);
            return false;
        }
        _admission.Lost(record, LossReason.Invalid, FormatOutcomes.LossDetail(formatted, kind), null);
        return false;
    }
}
