using Microsoft.Extensions.Time.Testing;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Pipeline;
using Serilog.Sinks.LogTrace.Records;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Pipeline;

// The ticket of a record the memory outbox formatted: each outcome told once to the ledger, a loss at shutdown also
// to the outbox's own count (its summary), and an unexpected error an invalid loss that is never thrown further.
[Collection(SelfLogCollection.Name)]
public class FormattedRecordTicketTests
{
    readonly LogTraceSinkCounters _counters = new();
    readonly CollectingFailureListener _listener = new();
    readonly List<RecordKind> _lostAtShutdown = new();

    (FormattedRecordTicket Ticket, FlushEpoch Epoch) Ticket(Func<string, string>? redact = null)
    {
        var reporter = new LossReporter(this, _counters, new FakeTimeProvider(Some.Timestamp), redact ?? (text => text));
        reporter.SetFailureListener(_listener);
        var ledger = new RecordLedger(_counters, reporter, 10, 1_000_000);
        var pending = new PendingRecord(Some.AuditLog(), Some.AuditLog(), null, 200);
        Assert.True(ledger.TryAdmit(ref pending, shuttingDown: false));
        var record = new FormattedRecord(default, RecordKind.AuditLog, "invoice.deleted", Some.Timestamp, pending.Size, pending.Original, pending.Epoch);
        return (new FormattedRecordTicket(record, ledger, _lostAtShutdown.Add), ledger.CloseEpoch());
    }

    [Fact]
    public void ALossAtShutdownIsAlsoCountedByTheOutboxForItsKind()
    {
        var (ticket, epoch) = Ticket();

        ticket.Lost(LossReason.Shutdown, "could not be sent before the shutdown timeout", null);

        Assert.Equal(new[] { RecordKind.AuditLog }, _lostAtShutdown);
        Assert.Equal(1, _counters.LostFor(LossReason.Shutdown));
        Assert.True(epoch.Settled.IsCompleted);
    }

    [Fact]
    public void AnyOtherLossIsNotTheOutboxsToCount()
    {
        var (ticket, epoch) = Ticket();

        ticket.Lost(LossReason.Rejected, "was refused", null);

        Assert.Empty(_lostAtShutdown);
        Assert.Equal(1, _counters.LostFor(LossReason.Rejected));
        Assert.True(epoch.Settled.IsCompleted);
    }

    [Fact]
    public void ADeliveryIsCountedOnce()
    {
        var (ticket, epoch) = Ticket();

        ticket.Delivered(TimeSpan.FromMilliseconds(3));
        ticket.Lost(LossReason.Rejected, "too late", null);

        Assert.Equal(1, _counters.Sent);
        Assert.Equal(0, _counters.LostFor(LossReason.Rejected));
        Assert.True(epoch.Settled.IsCompleted);
        Assert.Equal(RecordKind.AuditLog, ticket.Kind);
        Assert.Equal(Some.Timestamp, ticket.LoggedAt);
    }

    [Fact]
    public void AnUnexpectedErrorIsAnInvalidLossNamingItsType()
    {
        var (ticket, epoch) = Ticket();

        ticket.LostToAnError(new TimeoutException("late"));

        Assert.Equal(1, _counters.LostFor(LossReason.Invalid));
        var failure = Assert.Single(_listener.Failures);
        Assert.EndsWith("could not be sent because of an unexpected error in the sink (TimeoutException)", failure.Message);
        Assert.IsType<TimeoutException>(failure.Exception);
        Assert.True(epoch.Settled.IsCompleted);
    }

    [Fact]
    public void AnErrorWhoseReportFailsIsSaidInSelfLogAndNotThrown()
    {
        using var selfLog = new SelfLogCollector();
        var (ticket, epoch) = Ticket(redact: _ => throw new FormatException("the report failed"));

        ticket.LostToAnError(new TimeoutException("late"));

        var line = Assert.Single(selfLog.Lines, l => l.Contains("LogTrace: an event could not be sent or reported because of an unexpected error in the sink: ", StringComparison.Ordinal));
        Assert.Contains("late", line);
        Assert.Contains("the report failed", line);
        Assert.True(epoch.Settled.IsCompleted);
    }
}
