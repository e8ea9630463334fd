using System;
using System.Collections.Generic;
using System.Globalization;
using Serilog.Core;
using Serilog.Debugging;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Records;
using Serilog.Sinks.LogTrace.Pipeline;
using Serilog.Sinks.LogTrace.Sending;

namespace Serilog.Sinks.LogTrace.Accounting;

// Counts every lost event and says why, without flooding:
// - A failure listener set through Serilog (WriteTo.FallbackChain, or a custom one) receives every lost event as a
//   Permanent failure, so a fallback sink can keep it; but not one the before-send hook dropped on purpose.
// - SelfLog gets at most one line per reason per interval: the first loss is written at once, later ones are added
//   up and written with the next line after the interval, or when the sink shuts down. SelfLog's own failure
//   listener (the default) is not called per event for the same reason: an outage would write a line per event.
// - Losses at shutdown are written as one summary line by the sink.
sealed class LossReporter
{
    internal static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    readonly object _sender;
    readonly TimeProvider _time;
    readonly LogTraceSinkCounters _counters;
    readonly Func<string, string> _redact;
    readonly ReasonState[] _states = new ReasonState[LossReasons.Count];
    ILoggingFailureListener? _listener;

    public LossReporter(object sender, LogTraceSinkCounters counters, TimeProvider time, Func<string, string> redact)
    {
        _sender = sender;
        _time = time;
        _counters = counters;
        _redact = redact;
        for (var i = 0; i < _states.Length; i++)
            _states[i] = new ReasonState(time);
    }

    public void SetFailureListener(ILoggingFailureListener listener) =>
        _listener = ReferenceEquals(listener, SelfLog.FailureListener) ? null : listener;

    // Whether lost records are handed to a listener, which then needs their log events.
    public bool HasListener => _listener != null;

    // The listener receives the event as the application logged it, not the sink's copy with the request's values.
    //
    // Without a listener, a loss that no SelfLog line will show now (within the interval, or at shutdown, which the
    // sink sums up itself) is only counted and remembered: its message is made when it is read. An outage that drops
    // a million records at the queue's bound must not format a million messages on the application's thread.
    public void Lost(LossReason reason, in PendingRecord record, string detail, Exception? exception)
    {
        if (ListenerFor(reason) == null && UnwrittenAt(reason) is { } now)
        {
            var kind = RecordKinds.TryGetMarker(record.Event, out var marked, out _) ? marked : RecordKind.Event;
            _counters.AddLost(reason, kind, 1, now);
            if (reason != LossReason.Shutdown)
                Suppress(reason, kind, record.Event, null, detail);
            return;
        }
        var description = RecordKinds.Describe(record.Event, out var described);
        Lost(reason, described, description, new[] { record.Original }, detail, exception);
    }

    // A record the memory outbox formatted (FormattedRecord): known by its kind and name, and by its log event only
    // when a listener is set. The same fast path as above: a loss no SelfLog line shows now makes no message.
    public void Lost(LossReason reason, RecordKind kind, string name, LogEvent? original, string detail, Exception? exception)
    {
        if (ListenerFor(reason) == null && UnwrittenAt(reason) is { } now)
        {
            _counters.AddLost(reason, kind, 1, now);
            if (reason != LossReason.Shutdown)
                Suppress(reason, kind, null, RecordKinds.Describe(kind, name), detail);
            return;
        }
        Lost(reason, kind, RecordKinds.Describe(kind, name), original == null ? null : new[] { original }, detail, exception);
    }

    // A record known by its description only (one of the durable buffer, RecordKinds.Describe): the listener gets no
    // LogEvent. `count` records lost alike at once (a store moved aside with its records, whose kinds are not known:
    // kind null) are reported as that many, with the message made once.
    public void Lost(LossReason reason, RecordKind? kind, string description, IReadOnlyCollection<LogEvent>? events, string detail, Exception? exception,
        long count = 1)
    {
        // The listener hears of the loss before it is counted: whoever waits for the count sees the report too.
        var message = Message(description, detail);
        try
        {
            var listener = ListenerFor(reason);
            for (var i = 0L; listener != null && i < count; i++)
                Tell(listener, message, events, exception);
        }
        finally
        {
            _counters.AddLost(reason, kind, count);
        }

        if (reason != LossReason.Shutdown)
            WriteThrottled(reason, kind, message, count);
    }

    // A loss counted already (RecordLedger.Abandon counted every unfinished record at once): only the listener hears of
    // it, so a fallback sink still keeps its copy; no count, no SelfLog line.
    public void HandOver(LossReason reason, string description, IReadOnlyCollection<LogEvent>? events, string detail, Exception? exception)
    {
        if (ListenerFor(reason) is { } listener)
            Tell(listener, Message(description, detail), events, exception);
    }

    // One lost event to the listener; what it throws (or the exception's own text, when redacting it) is said in
    // SelfLog, never let out.
    void Tell(ILoggingFailureListener listener, string message, IReadOnlyCollection<LogEvent>? events, Exception? exception)
    {
        try
        {
            listener.OnLoggingFailed(_sender, LoggingFailureKind.Permanent, message, events, Redacted(exception));
        }
        catch (Exception ex)
        {
            QuietSelfLog.WriteLine("LogTrace: the failure listener threw: {0}", ex);
        }
    }

    // Nothing reported may carry the API key, and a listener may format the message: no braces. The description never
    // holds a session token (RecordKinds.Describe).
    string Message(string description, string detail) => _redact("LogTrace " + description + " " + detail).Replace('{', '(').Replace('}', ')');

    // A record the application's before-send hook dropped is its choice, not a failure: no fallback sink receives it
    // (the hook may have dropped it for what it holds).
    ILoggingFailureListener? ListenerFor(LossReason reason) => reason == LossReason.DroppedByHook ? null : _listener;

    // The time of a loss that no SelfLog line would show now (a shutdown's, or one within the interval), or null when
    // one would be written. The clock is read once, for the throttle and the count alike: a refusal at the queue's
    // bound during an outage comes this way for every record.
    long? UnwrittenAt(LossReason reason)
    {
        var now = _time.GetTimestamp();
        if (reason != LossReason.Shutdown && _states[(int)reason].Throttle.IsOpenAt(now))
            return null;
        return now;
    }

    // Counted among the losses the next line (or the shutdown's) sums up; the last one's message is made then.
    // The record is known by its log event (described only if read) or by its description.
    void Suppress(LossReason reason, RecordKind kind, LogEvent? logEvent, string? description, string detail)
    {
        var state = _states[(int)reason];
        lock (state)
        {
            state.Suppressed++;
            state.SuppressedByKind[(int)kind]++;
            state.LastMessage = null;
            state.LastEvent = logEvent;
            state.LastDescription = description;
            state.LastDetail = detail;
        }
    }

    // An exception from a caller's handler may quote the request, key included: the listener gets a redacted stand-in.
    Exception? Redacted(Exception? exception)
    {
        if (exception == null)
            return null;
        var text = exception.ToString();
        var redacted = _redact(text);
        return ReferenceEquals(text, redacted) || text == redacted ? exception : new LogTraceDeliveryException(redacted);
    }

    // As many calls for `count` events would: the first is written (when the interval allows), the others held back.
    void WriteThrottled(LossReason reason, RecordKind? kind, string message, long count)
    {
        var state = _states[(int)reason];
        string earlier;
        lock (state)
        {
            if (!state.Throttle.Allow())
            {
                state.Suppressed += count;
                if (kind is { } known)
                    state.SuppressedByKind[(int)known] += count;
                state.LastMessage = message;
                state.LastEvent = null;
                return;
            }
            earlier = state.Suppressed > 0 ? RecordCounts.Describe(state.Suppressed, state.SuppressedByKind, "more") : "";
            state.Suppressed = count - 1;
            Array.Clear(state.SuppressedByKind, 0, state.SuppressedByKind.Length);
            if (count > 1 && kind is { } counted)
                state.SuppressedByKind[(int)counted] = count - 1;
            state.LastMessage = count > 1 ? message : null;
            state.LastEvent = null;
        }

        var lost = _counters.Lost;
        QuietSelfLog.WriteLine("{0}{1}; {2} lost in all", message,
            earlier.Length > 0 ? " (" + earlier + " lost for the same reason since the previous line)" : "",
            lost.ToString(CultureInfo.InvariantCulture) + (lost == 1 ? " LogTrace record" : " LogTrace records"));
    }

    // Writes what the interval held back; called at shutdown.
    public void Flush()
    {
        for (var i = 0; i < _states.Length; i++)
        {
            var state = _states[i];
            long suppressed;
            long[] byKind;
            string? last;
            LogEvent? lastEvent;
            string? lastDescription;
            string? lastDetail;
            lock (state)
            {
                suppressed = state.Suppressed;
                byKind = (long[])state.SuppressedByKind.Clone();
                Array.Clear(state.SuppressedByKind, 0, state.SuppressedByKind.Length);
                last = state.LastMessage;
                lastEvent = state.LastEvent;
                lastDescription = state.LastDescription;
                lastDetail = state.LastDetail;
                state.Suppressed = 0;
                state.LastMessage = null;
                state.LastEvent = null;
            }
            if (last == null && (lastEvent != null || lastDescription != null))
                last = Message(lastEvent != null ? RecordKinds.Describe(lastEvent) : lastDescription!, lastDetail ?? "");
            if (suppressed > 0)
            {
                QuietSelfLog.WriteLine("LogTrace: {0} lost ({1}) since the previous line; the last: {2}",
                    RecordCounts.Describe(suppressed, byKind, "more"), LossReasons.TagValue((LossReason)i), last);
            }
        }
    }

    sealed class ReasonState
    {
        public ReasonState(TimeProvider time) => Throttle = new OncePerInterval(time);

        public OncePerInterval Throttle { get; }

        public long Suppressed;
        // The same by kind (index: RecordKind); those of unknown kind are in Suppressed only.
        public readonly long[] SuppressedByKind = new long[RecordKinds.Count];
        public string? LastMessage;
        // The last loss counted without a message (Suppress): its message is made only if it is read.
        public LogEvent? LastEvent;
        public string? LastDescription;
        public string? LastDetail;
    }
}

// Stands in for an exception whose text carried the API key; its message is the original's text, redacted.
sealed class LogTraceDeliveryException : Exception
{
    public LogTraceDeliveryException(string message) : base(message)
    {
    }
}
