using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Reflection;
using System.Threading;
using Serilog.Sinks.LogTrace.Records;
using Serilog.Sinks.LogTrace.Sending;

namespace Serilog.Sinks.LogTrace.Accounting;

// Every record the sink accepts ends in exactly one count: sent, or lost for one reason. The same numbers are
// published through System.Diagnostics.Metrics on a meter named after the package, one meter per sink instance.
sealed class LogTraceSinkCounters : IDisposable
{
    public const string MeterName = "Serilog.Sinks.LogTrace";

    readonly long[] _lost = new long[LossReasons.Count];
    readonly KeyValuePair<string, object?>[] _reasonTags = new KeyValuePair<string, object?>[LossReasons.Count];
    // One per RecordKind, and a last one for records whose kind is not known (a damaged store's).
    readonly KeyValuePair<string, object?>[] _kindTags = new KeyValuePair<string, object?>[RecordKinds.Count + 1];
    long _sent, _retries, _rateLimited, _queued, _queuedBytes, _dryRun;
    // Monotonic timestamps (TimeProvider.GetTimestamp) of the latest loss for each reason and of the latest delivery;
    // 0 for never. The status and the health check ask how long ago.
    readonly long[] _lastLost = new long[LossReasons.Count];
    // Lost records by reason and kind (index: reason * RecordKinds.Count + kind), for the lines that name kinds.
    readonly long[] _lostByKind = new long[LossReasons.Count * RecordKinds.Count];
    long _lastSent;
    readonly TimeProvider _time;

    readonly Meter _meter;
    readonly Counter<long> _sentCounter;
    readonly Counter<long> _failedCounter;
    readonly Counter<long> _retryCounter;
    readonly Counter<long> _rateLimitedCounter;
    readonly Histogram<double> _latency;

    public LogTraceSinkCounters(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        for (var i = 0; i < LossReasons.Count; i++)
            _reasonTags[i] = new KeyValuePair<string, object?>("reason", LossReasons.TagValue((LossReason)i));
        for (var i = 0; i < RecordKinds.Count; i++)
            _kindTags[i] = new KeyValuePair<string, object?>("kind", RecordKinds.TagValue((RecordKind)i));
        _kindTags[RecordKinds.Count] = new KeyValuePair<string, object?>("kind", "unknown");

        _meter = new Meter(MeterName, PackageVersion.Current);
        // Every instrument that counts records is tagged with their kind: event, audit_log or session.
        _sentCounter = _meter.CreateCounter<long>("logtrace.events.sent", "{record}", "Records (events, audit logs, sessions) the LogTrace service accepted, by kind.");
        _failedCounter = _meter.CreateCounter<long>("logtrace.events.failed", "{record}",
            "Records not delivered, by kind, and by reason: rejected, unauthorized, retry_limit, queue_full, shutdown, invalid, buffer_full, corrupt, " +
            "dropped_by_hook, hook_failed.");
        _retryCounter = _meter.CreateCounter<long>("logtrace.retries", "{request}", "Requests sent again after a retryable failure, by kind.");
        _rateLimitedCounter = _meter.CreateCounter<long>("logtrace.rate_limited", "{response}", "429 Too Many Requests answers, by kind.");
        _meter.CreateObservableUpDownCounter("logtrace.queue.depth", () => Queued, "{event}",
            "Events accepted and not yet sent or lost (queued, being formatted, waiting, or in flight).");
        _meter.CreateObservableUpDownCounter("logtrace.queue.bytes", () => QueuedBytes, "By",
            "The estimated memory held by the events counted in logtrace.queue.depth.");
        _latency = _meter.CreateHistogram<double>("logtrace.delivery.latency", "s",
            "Time from the log event's timestamp to the service's answer accepting it.");
    }

    public Meter Meter => _meter;

    // The durable buffer's contents, published once a buffer is open.
    public void ObserveBuffer(Func<long> events, Func<long> bytes)
    {
        _meter.CreateObservableUpDownCounter("logtrace.buffer.events", events, "{event}",
            "Events in the durable buffer: written to disk and not yet delivered (in flight included).");
        _meter.CreateObservableUpDownCounter("logtrace.buffer.bytes", bytes, "By",
            "The bytes those events take in the buffer's accounting (bodies and a fixed overhead per record), which bufferSizeLimitBytes bounds.");
    }

    public long Sent => Interlocked.Read(ref _sent);

    public long Retries => Interlocked.Read(ref _retries);

    // Records written to the dry run's output instead of being sent (LogTraceSinkOptions.DryRun).
    public long DryRun => Interlocked.Read(ref _dryRun);

    public long RateLimited => Interlocked.Read(ref _rateLimited);

    // Events accepted and not finished.
    public long Queued => Interlocked.Read(ref _queued);

    // The estimated bytes those events hold (EventSize).
    public long QueuedBytes => Interlocked.Read(ref _queuedBytes);

    public long LostFor(LossReason reason) => Interlocked.Read(ref _lost[(int)reason]);

    // The same by kind (index: RecordKind); those of unknown kind are in LostFor only.
    public long[] LostByKind(LossReason reason)
    {
        var counts = new long[RecordKinds.Count];
        for (var k = 0; k < counts.Length; k++)
            counts[k] = Interlocked.Read(ref _lostByKind[(int)reason * RecordKinds.Count + k]);
        return counts;
    }

    // How long ago a record was last lost for `reason`; null for never.
    public TimeSpan? SinceLost(LossReason reason) => Since(Volatile.Read(ref _lastLost[(int)reason]));

    // How long ago the service last accepted a record; null for never.
    public TimeSpan? SinceSent => Since(Volatile.Read(ref _lastSent));

    TimeSpan? Since(long timestamp) => timestamp == 0 ? null : _time.GetElapsedTime(timestamp);

    public long Lost
    {
        get
        {
            long total = 0;
            for (var i = 0; i < _lost.Length; i++)
                total += Interlocked.Read(ref _lost[i]);
            return total;
        }
    }

    // The queue bounds: an event is admitted only while fewer than `limit` are unfinished and its estimated size
    // fits within `limitBytes` beside theirs.
    public Admission TryAdmit(int limit, long bytes, long limitBytes)
    {
        if (Interlocked.Increment(ref _queued) > limit)
        {
            Interlocked.Decrement(ref _queued);
            return Admission.OverEvents;
        }
        if (Interlocked.Add(ref _queuedBytes, bytes) > limitBytes)
        {
            Interlocked.Add(ref _queuedBytes, -bytes);
            Interlocked.Decrement(ref _queued);
            return Admission.OverBytes;
        }
        return Admission.Admitted;
    }

    // Each outcome is published to the meter before it is counted: whoever sees a count (the status, a flush, a test)
    // can rely on its measurement having been recorded already.
    public void AddSent(TimeSpan latency, RecordKind kind)
    {
        _sentCounter.Add(1, _kindTags[(int)kind]);
        _latency.Record(Math.Max(0, latency.TotalSeconds), _kindTags[(int)kind]);
        Volatile.Write(ref _lastSent, _time.GetTimestamp());
        Interlocked.Increment(ref _sent);
    }

    // kind: null when it is not known (the records of a damaged store).
    public void AddLost(LossReason reason, RecordKind? kind, long count = 1) => AddLost(reason, kind, count, _time.GetTimestamp());

    // `now`: a reading of the sink's TimeProvider's timestamp, the time of the loss.
    public void AddLost(LossReason reason, RecordKind? kind, long count, long now)
    {
        _failedCounter.Add(count, _reasonTags[(int)reason], _kindTags[kind is { } k ? (int)k : RecordKinds.Count]);
        Volatile.Write(ref _lastLost[(int)reason], now);
        if (kind is { } known)
            Interlocked.Add(ref _lostByKind[(int)reason * RecordKinds.Count + (int)known], count);
        Interlocked.Add(ref _lost[(int)reason], count);
    }

    public void AddDryRun() => Interlocked.Increment(ref _dryRun);

    public void AddRetry(RecordKind kind)
    {
        _retryCounter.Add(1, _kindTags[(int)kind]);
        Interlocked.Increment(ref _retries);
    }

    public void AddRateLimited(RecordKind kind)
    {
        _rateLimitedCounter.Add(1, _kindTags[(int)kind]);
        Interlocked.Increment(ref _rateLimited);
    }

    // An admitted event is finished: sent or lost.
    // bytes: exactly what the record was admitted with (PendingRecord.Size), so the count never drifts.
    public void Release(long bytes)
    {
        Interlocked.Add(ref _queuedBytes, -bytes);
        Interlocked.Decrement(ref _queued);
    }

    public void Dispose() => _meter.Dispose();
}

enum Admission
{
    Admitted,
    OverEvents,
    OverBytes,
}
