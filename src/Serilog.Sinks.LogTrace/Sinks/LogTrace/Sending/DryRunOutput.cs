using System;
using System.IO;
using System.Text;
using Serilog.Debugging;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Configuration;
using Serilog.Sinks.LogTrace.Pipeline;
using Serilog.Sinks.LogTrace.Records;

namespace Serilog.Sinks.LogTrace.Sending;

// A dry run's senders (LogTraceSinkOptions.DryRun): each record, formatted and checked exactly as it would be sent, is
// written as one line, "LogTrace dry run, not sent: POST <route> <body>", to the configured writer or else to SelfLog,
// and counted (LogTraceSinkStatus.DryRunRecords) instead of being sent. The body is the one that would go on the
// wire, so the API key and the request's sensitive headers are redacted in it as they are there; a session's token,
// which only the service may see, is replaced as in every report (SessionTokens). The X-API-Key header is not shown.
// Nothing here makes a request.
sealed class DryRunOutput
{
    internal const string Prefix = "LogTrace dry run, not sent: POST ";

    readonly TextWriter? _writer;
    readonly LogTraceSinkSettings _settings;
    readonly TextSanitizer _text;
    readonly RecordLedger _ledger;
    readonly object _lock = new();

    // writer: null for SelfLog. The senders write at once: the lock keeps their lines whole.
    public DryRunOutput(TextWriter? writer, LogTraceSinkSettings settings, TextSanitizer text, RecordLedger ledger)
    {
        _writer = writer;
        _text = text;
        _ledger = ledger;
        _settings = settings;
        QuietSelfLog.WriteLine("LogTrace: dry run: records are formatted and checked as for sending, then written to {0}; nothing is sent to {1}",
            writer == null ? "SelfLog" : "the dry run's output (DryRunOutput)", LogTraceSinkSettings.TextOf(settings.BaseUri));
    }

    // The record is written and counted, or lost to an error of the writer (counted and reported): never dropped unseen.
    public void Write(in FormattedRecord record)
    {
        try
        {
            // Only a session's body has a top-level token; for the other kinds there is none to find. The token's own
            // value is replaced whatever its length, and elsewhere in the line where it is long enough to search for.
            var body = SessionTokens.WithoutToken(record.Body.Bytes.Span, out var token);
            var line = SessionTokens.Redact(Prefix + _settings.RouteText(record.Kind) + " " + body, token, _text);
            if (_writer == null)
            {
                // The record's output itself: a line SelfLog cannot take is this record's failure (LostToAnError), not let go.
                SelfLog.WriteLine("{0}", line);
            }
            else
            {
                lock (_lock)
                {
                    _writer.WriteLine(line);
                    _writer.Flush();
                }
            }
        }
        catch (Exception ex)
        {
            _ledger.LostToAnError(record, "could not be written to the dry run's output", ex);
            return;
        }
        _ledger.WrittenInDryRun(record);
    }
}
