using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Serilog.Sinks.LogTrace.Records;
using Serilog.Sinks.LogTrace.Http;
using Serilog.Sinks.LogTrace.Pipeline;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Configuration;

namespace Serilog.Sinks.LogTrace.Sending;

// Delivers records: TryFormat formats one once (RecordFormatting: every retry sends the same bytes, with the same
// _event_id), in the outbox's formatting loop or the buffer's writer; SendAsync, on a sender, sends the body until it
// is delivered or given up. Transient failures are retried with backoff, the rate limit is waited
// out, configuration errors close the gate, and the retry time limit and the shutdown deadline end the attempts.
// Every event it is given ends told to its ticket: delivered, or lost for one reason (a durable buffer's ticket keeps
// the event on disk for the reasons that are not final).
//
// With the durable buffer (waitOutRefusals), a configuration error does not fail records: their tickets put them back
// on disk until the gate's recheck (they go once the key or the endpoint is fixed), and the refusal is reported once
// per closing rather than once per record.
sealed class EventDelivery
{
    static readonly Task<bool> Finished = Task.FromResult(false);

    readonly LogTraceApi _api;
    readonly LogTraceEventFormatter _formatter;
    readonly RateLimitPacer _pacer;
    readonly RecordLedger _admission;
    readonly LogTraceSinkCounters _counters;
    readonly RouteAnswers _answers;
    readonly RecordFormatting _formatting;
    // One per route: a refusal of the key or the account (401, 402, 428) closes them all, one of a route (403, 404,
    // 405, a redirect: a proxy that forwards only some routes) closes that route's only.
    readonly ConfigurationGate[] _gates = new ConfigurationGate[RecordKinds.Count];
    readonly ShutdownDeadline _shutdown;
    readonly TimeProvider _time;
    readonly TimeSpan _retryTimeLimit;
    readonly bool _waitOutRefusals;
    readonly Random _random = new();
    string? _lastFailure;
    int _refusalReported;

    public EventDelivery(LogTraceApi api, LogTraceEventFormatter formatter, RecordLedger admission, LogTraceSinkCounters counters,
        RouteAnswers answers, ShutdownDeadline shutdown, TimeProvider time, TimeSpan retryTimeLimit, bool waitOutRefusals = false,
        IgnoredMarkers? ignored = null)
    {
        _formatting = new RecordFormatting(formatter, admission, ignored);
        _answers = answers;
        _waitOutRefusals = waitOutRefusals;
        _api = api;
        _formatter = formatter;
        _admission = admission;
        _counters = counters;
        _shutdown = shutdown;
        _time = time;
        _retryTimeLimit = retryTimeLimit;
        _pacer = new RateLimitPacer(time);
        for (var i = 0; i < _gates.Length; i++)
            _gates[i] = new ConfigurationGate(time);
    }

    // The routes the service refuses now (bit 1 << (int)RecordKind each), and how long until the first of them is
    // checked again: the durable buffer does not read their records until then.
    public int RefusedRoutes(out TimeSpan recheckIn)
    {
        var refused = 0;
        recheckIn = TimeSpan.Zero;
        for (var i = 0; i < _gates.Length; i++)
        {
            var remaining = _gates[i].Remaining();
            if (remaining <= TimeSpan.Zero)
                continue;
            refused |= 1 << i;
            if (recheckIn == TimeSpan.Zero || remaining < recheckIn)
                recheckIn = remaining;
        }
        return refused;
    }

    // The last failure seen (redacted), for the shutdown summary.
    public string? LastFailure => Volatile.Read(ref _lastFailure);

    // Sends a formatted body until its ticket is told the outcome.
    public async Task SendAsync(DeliveryTicket ticket, ReadOnlyMemory<byte> body)
    {
        // The retry time limit runs on the monotonic clock (Clock.TimestampAfter): a stepped wall clock ends no record early.
        var firstAttempt = _time.GetTimestamp();
        for (var attempt = 0; ; attempt++)
        {
            // A closed gate never holds a sender: in memory the record is failed; a durable buffer's ticket keeps it on disk
            // and puts it back until the recheck (BufferSettlement), so one refused route cannot stop the others.
            if (_gates[(int)ticket.Kind].Refusal() is { } refusal)
            {
                ticket.Lost(LossReason.Unauthorized, refusal, null);
                return;
            }
            if (!await AttemptAsync(ticket, body, attempt, firstAttempt).ConfigureAwait(false))
                return;
        }
    }

    // Formats a record once, before it waits for a sender or is written to the durable buffer (RecordFormatting).
    public bool TryFormat(in PendingRecord record, FormatBuffers buffers, out RecordKind kind) => _formatting.TryFormat(record, buffers, out kind);

    // One request. True when the event is to be tried again (the wait before that try is over); false when it is
    // finished, delivered or lost.
    async Task<bool> AttemptAsync(DeliveryTicket ticket, ReadOnlyMemory<byte> body, int attempt, long firstAttempt)
    {
        var deadline = _shutdown.Deadline;
        RateLimitPacer.Turn turn;
        try
        {
            turn = await _pacer.WaitForTurnAsync(deadline).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            ticket.Lost(LossReason.Shutdown, "was waiting for the rate limit when the shutdown timeout passed", null);
            return false;
        }

        LogTraceResponse response;
        try
        {
            response = await _api.PostAsync(ticket.Kind, body, deadline).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _pacer.Complete(turn, null);
            if (deadline.IsCancellationRequested)
            {
                ticket.Lost(LossReason.Shutdown, "was in flight when the shutdown timeout passed", null);
                return false;
            }

            // A caller's handler (a logging or resilience handler, a proxy client) may quote the body in its exception:
            // a session's token is replaced there as in an echoed answer, in the text and in the exception handed on.
            var token = SessionTokens.Of(ticket.Kind, body.Span);
            var failure = Describe(ex, token);
            Volatile.Write(ref _lastFailure, failure);
            return await WaitToRetryAsync(ticket, attempt, firstAttempt, DeliveryPolicy.Backoff(attempt, _random), TimeSpan.Zero, failure,
                SessionTokens.Redacts(token) ? SessionTokens.WithoutSecrets(ex, token, _formatter.Text, failure) : ex).ConfigureAwait(false);
        }

        _pacer.Complete(turn, response);
        return await OnAnswerAsync(ticket, response, body, attempt, firstAttempt).ConfigureAwait(false);
    }

    Task<bool> OnAnswerAsync(DeliveryTicket ticket, LogTraceResponse response, ReadOnlyMemory<byte> body, int attempt, long firstAttempt)
    {
        // A redirect that a caller's handler followed anyway is not the service's answer, whatever its status.
        var outcome = response.RedirectedTo != null ? Outcome.Unauthorized : DeliveryPolicy.Classify(response.StatusCode);
        if (outcome != Outcome.Unauthorized)
            _answers.Answered(ticket.Kind, response.StatusCode, null);
        switch (outcome)
        {
            case Outcome.Delivered:
                ticket.Delivered(_time.GetUtcNow() - ticket.LoggedAt);
                return Finished;

            case Outcome.Rejected:
                ticket.Lost(LossReason.Rejected, "was rejected by the LogTrace service with " + Answer(response, ticket.Kind, body) +
                    "; the same event can never succeed, so it was not retried", null);
                return Finished;

            case Outcome.Unauthorized:
                Refuse(ticket, response, body);
                return Finished;

            default:
            {
                var answer = Answer(response, ticket.Kind, body);
                Volatile.Write(ref _lastFailure, _formatter.Text.RedactSecret(answer));
                if (response.StatusCode == 429)
                    _counters.AddRateLimited(ticket.Kind);
                // A Retry-After pauses every sender in the pacer, and so does a 429 without one (until the reset, or a
                // minute); otherwise, and when the pause works out to nothing (Retry-After: 0, a date already past on
                // the service's clock), this record backs off on its own: never a loop of requests without a wait.
                var pause = response.RetryAfterDelay(_time.GetUtcNow()) ?? TimeSpan.Zero;
                var pacerWaits = pause > TimeSpan.Zero || (response.StatusCode == 429 && !response.RetryAfter.IsPresent);
                var wait = pacerWaits ? TimeSpan.Zero : DeliveryPolicy.Backoff(attempt, _random);
                return WaitToRetryAsync(ticket, attempt, firstAttempt, wait, pause, answer, null);
            }
        }
    }

    // A configuration error: this event fails, and the gate (every route's, or this route's) fails the next ones without
    // a request until the recheck.
    void Refuse(DeliveryTicket ticket, LogTraceResponse response, ReadOnlyMemory<byte> body)
    {
        var answer = Answer(response, ticket.Kind, body);
        var fix = response.RedirectedTo != null
            ? "the sink never follows a redirect (it would carry the API key elsewhere): set the endpoint to the service's own address"
            : response.StatusCode == 404 ? NoRoute(ticket.Kind)
            : "check the API key, the endpoint and the account";
        var reason = "was not sent: the LogTrace service refused the previous request with " + answer + "; " + fix;
        _answers.Answered(ticket.Kind, response.StatusCode, _formatter.Text.RedactSecret(answer + "; " + fix));
        // The key or the account: every route would answer the same.
        var everyRoute = response.RedirectedTo == null && response.StatusCode is 401 or 402 or 428;
        bool reopened;
        if (everyRoute)
        {
            reopened = false;
            foreach (var gate in _gates)
                reopened |= gate.Close(reason);
        }
        else
        {
            reopened = _gates[(int)ticket.Kind].Close(reason);
        }
        var recheck = ((int)ConfigurationGate.RecheckInterval.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        var which = everyRoute ? "records of every kind" : RecordKinds.Label(ticket.Kind) + "s (POST " + RecordKinds.Path(ticket.Kind) + "; the other routes go on)";
        if (_waitOutRefusals)
        {
            // The record stays on disk and is sent once a recheck succeeds: reported once per closing, not per record.
            // The first refusal ever is said once even when two senders get it at the same moment: both evaluated first.
            var first = Interlocked.Exchange(ref _refusalReported, 1) == 0;
            if (reopened || first)
            {
                QuietSelfLog.WriteLine("{0}", string.Format(CultureInfo.InvariantCulture,
                    "LogTrace: the service refused a request with {0}: {1}; buffered {2} are kept and tried again every {3} s",
                    _formatter.Text.RedactSecret(answer), fix, which, recheck));
            }
            ticket.Lost(LossReason.Unauthorized, "was refused by the LogTrace service with " + answer + "; it stays in the durable buffer", null);
            return;
        }
        ticket.Lost(LossReason.Unauthorized, "was refused by the LogTrace service with " + answer + ": " + fix + "; " + which +
            " are failed without a request for the next " + recheck + " s", null);
    }

    // Waits before the next attempt; false when the event was given up (retry time limit or shutdown). The limit
    // counts the longer of the event's own backoff and a Retry-After pause of every sender.
    async Task<bool> WaitToRetryAsync(DeliveryTicket ticket, int attempt, long firstAttempt, TimeSpan wait, TimeSpan pause,
        string failure, Exception? exception)
    {
        var longest = wait > pause ? wait : pause;
        if (longest - Clock.Until(_time, firstAttempt) > _retryTimeLimit)
        {
            ticket.Lost(LossReason.RetryLimit, string.Format(CultureInfo.InvariantCulture,
                "could not be delivered within the retry time limit of {0} ({1} attempts; the last: {2})",
                _retryTimeLimit, attempt + 1, failure), exception);
            return false;
        }

        _counters.AddRetry(ticket.Kind);
        try
        {
            await Clock.Delay(_time, wait, _shutdown.Deadline).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            ticket.Lost(LossReason.Shutdown, "was waiting to be retried (the last attempt: " + failure + ") when the shutdown timeout passed", exception);
            return false;
        }
        return true;
    }

    // A 404 is about the URL, not the key: name it, and say when the endpoint lacks the service's /v1/developers.
    string NoRoute(RecordKind kind)
    {
        var route = _api.RouteOf(kind);
        if (route == null)
            return "check the endpoint";
        return "no such route at POST " + LogTraceSinkSettings.TextOf(route) + (route.AbsolutePath.IndexOf("/v1/developers", StringComparison.OrdinalIgnoreCase) < 0
            ? ": the endpoint lacks /v1/developers; use the ingestion base URL, e.g. " + LogTraceDefaults.Endpoint
            : ": check the endpoint (the ingestion base URL, e.g. " + LogTraceDefaults.Endpoint + ")");
    }

    // The answer as every report quotes it. A service or proxy that echoes the body in its message echoes a session's
    // token: it is replaced, as the formatter replaces it in the record's own text (SessionTokens).
    string Answer(LogTraceResponse response, RecordKind kind, ReadOnlyMemory<byte> body)
    {
        var text = "status " + response.StatusCode.ToString(CultureInfo.InvariantCulture) + ": " +
            (response.RedirectedTo != null ? "a redirect to " + response.RedirectedTo
                : string.IsNullOrEmpty(response.Message) ? "(no message)" : response.Message);
        return kind is RecordKind.Session or RecordKind.SessionLogout
            ? SessionTokens.Redact(text, SessionTokens.InBody(body.Span), _formatter.Text)
            : text;
    }

    // Never throws: an exception whose Message throws (a caller's handler may raise anything) is named by its type.
    // token: a session's, replaced where the message quotes it.
    string Describe(Exception ex, string? token)
    {
        if (ex is OperationCanceledException)
            return "the request timed out";
        string text;
        try
        {
            text = ex.GetType().Name + ": " + ex.Message;
        }
        catch (Exception)
        {
            text = ex.GetType().Name + " (whose message could not be read)";
        }
        return SessionTokens.Redact(text, token, _formatter.Text);
    }
}
