using System;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Records;

namespace Serilog.Sinks.LogTrace.Pipeline;

// A record the memory outbox has formatted, waiting for a sender: the body exactly as it is sent, and what its
// outcome needs without the log event (its kind and route, its name for reports, when it was logged, the bytes it
// was admitted with).
//
// - Original: the event as the application logged it, kept only when a failure listener (a fallback sink) is set,
//   which receives it if the record is lost. Without one, nothing of the log event stays alive but its name.
// - Epoch: the flush epoch it was admitted in (PendingRecord.Epoch).
// - Late: it waited for its request, so it stands behind records logged after it, and is counted in LateRecords until
//   a sender takes it.
readonly struct FormattedRecord
{
    public FormattedRecord(StoredBody body, RecordKind kind, string name, DateTimeOffset loggedAt, long size, LogEvent? original,
        FlushEpoch? epoch = null, bool late = false)
    {
        Late = late;
        Epoch = epoch;
        Body = body;
        Kind = kind;
        Name = name;
        LoggedAt = loggedAt;
        Size = size;
        Original = original;
    }

    public StoredBody Body { get; }

    public RecordKind Kind { get; }

    public string Name { get; }

    public DateTimeOffset LoggedAt { get; }

    public long Size { get; }

    public LogEvent? Original { get; }

    public FlushEpoch? Epoch { get; }

    public bool Late { get; }
}
