using System;
using System.Collections.Generic;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Serilog.Sinks.LogTrace.Pipeline;

// The memory outbox's line of formatted records waiting for a sender. The formatting loop is its only writer until
// the line is completed; the senders read it, each woken by a record of its own. A record that waited for its request
// is counted late (LateRecords) from before it joins the line until it leaves it (Left), to a sender or to a
// hand-over, so the status never misses it.
sealed class ReadyLine
{
    readonly Channel<FormattedRecord> _records = Channel.CreateUnbounded<FormattedRecord>(new UnboundedChannelOptions
    {
        SingleReader = false,
        SingleWriter = true,
    });
    readonly LateRecords _late;

    public ReadyLine(LateRecords late) => _late = late;

    // Records waiting for a sender.
    public int Count => _records.Reader.Count;

    // When the record at the head of the line was logged; null when the line is empty. A late record behind it is in
    // LateRecords.
    public DateTimeOffset? HeadLoggedAt => _records.Reader.TryPeek(out var head) ? head.LoggedAt : null;

    // False only once the line is complete (the line is unbounded): the caller still has the record, no longer late.
    public bool TryAdd(in FormattedRecord record)
    {
        if (record.Late)
            _late.Add(record.LoggedAt);
        if (_records.Writer.TryWrite(record))
            return true;
        Left(record);
        return false;
    }

    // The next record for a sender, still counted late until the sender calls Left; throws ChannelClosedException
    // once the line is complete and empty.
    public ValueTask<FormattedRecord> ReadAsync() => _records.Reader.ReadAsync();

    // Everything in the line now, taken out of it (and no longer late).
    public List<FormattedRecord> TakeAll()
    {
        var taken = new List<FormattedRecord>();
        while (_records.Reader.TryRead(out var record))
            taken.Add(Left(record));
        return taken;
    }

    // A record has left the line: no longer late.
    public FormattedRecord Left(in FormattedRecord record)
    {
        if (record.Late)
            _late.Remove(record.LoggedAt);
        return record;
    }

    public void Complete() => _records.Writer.TryComplete();
}
