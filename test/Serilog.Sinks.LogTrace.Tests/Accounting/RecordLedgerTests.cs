using Microsoft.Extensions.Time.Testing;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Pipeline;
using Serilog.Sinks.LogTrace.Records;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Accounting;

// RecordLedger on its own: the queue's two bounds on the way in, what each refusal says, and that every outcome gives
// the record's bytes back and settles its flush epoch, even when reporting the outcome fails.
[Collection(SelfLogCollection.Name)]
public class RecordLedgerTests
{
    readonly FakeTimeProvider _time = new(Some.Timestamp);
    readonly LogTraceSinkCounters _counters = new();
    readonly CollectingFailureListener _listener = new();

    RecordLedger Ledger(int limit = 3, long limitBytes = 1_000_000, Func<string, string>? redact = null)
    {
        var reporter = new LossReporter(this, _counters, _time, redact ?? (text => text));
        reporter.SetFailureListener(_listener);
        return new RecordLedger(_counters, reporter, limit, limitBytes);
    }

    static PendingRecord Record(long size = 100) =>
        new(Some.Event("user.login"), Some.Event("user.login"), null, size);

    static PendingRecord Admitted(RecordLedger ledger, long size = 100)
    {
        var record = Record(size);
        Assert.True(ledger.TryAdmit(ref record, shuttingDown: false));
        return record;
    }

    [Fact]
    public void BelowTheBoundAnEventIsNotRefusedAtOnce()
    {
        var ledger = Ledger(limit: 2);
        Admitted(ledger);

        Assert.False(ledger.RefusedAtOnce(Some.Event("user.login"), shuttingDown: false));
        Assert.Empty(_listener.Failures);
        Assert.Equal(0, _counters.LostFor(LossReason.QueueFull));
    }

    [Fact]
    public void AtTheBoundAnEventIsRefusedAtOnceCountedAndSaid()
    {
        var ledger = Ledger(limit: 2);
        Admitted(ledger);
        Admitted(ledger);

        Assert.True(ledger.RefusedAtOnce(Some.Event("user.login"), shuttingDown: false));

        Assert.Equal(1, _counters.LostFor(LossReason.QueueFull));
        var failure = Assert.Single(_listener.Failures);
        Assert.Contains("was dropped because the queue already holds 2 ", failure.Message);
        Assert.Contains("(queueLimit); the service is slower than the application logs, or unreachable", failure.Message);
    }

    [Fact]
    public void DuringTheShutdownAnEventIsRefusedAtOnceEvenBelowTheBound()
    {
        var ledger = Ledger(limit: 5);

        Assert.True(ledger.RefusedAtOnce(Some.Event("user.login"), shuttingDown: true));

        Assert.Equal(1, _counters.LostFor(LossReason.Shutdown));
        Assert.Equal(0, _counters.LostFor(LossReason.QueueFull));
        Assert.EndsWith("was logged after the sink began shutting down, and was dropped", Assert.Single(_listener.Failures).Message);
    }

    [Fact]
    public void AnAdmittedRecordIsCountedWithItsBytesAndCarriesTheOpenEpoch()
    {
        var ledger = Ledger();

        var record = Admitted(ledger, size: 250);

        Assert.Equal(1, _counters.Queued);
        Assert.Equal(250, _counters.QueuedBytes);
        Assert.NotNull(record.Epoch);
        var epoch = ledger.CloseEpoch();
        Assert.Equal(1, epoch.Remaining);
        Assert.False(epoch.Settled.IsCompleted);
    }

    [Fact]
    public void AdmissionDuringTheShutdownIsALossWithoutAnEpoch()
    {
        var ledger = Ledger();
        var record = Record();

        Assert.False(ledger.TryAdmit(ref record, shuttingDown: true));

        Assert.Null(record.Epoch);
        Assert.Equal(0, _counters.Queued);
        Assert.Equal(1, _counters.LostFor(LossReason.Shutdown));
        Assert.EndsWith("was logged after the sink began shutting down, and was dropped", Assert.Single(_listener.Failures).Message);
    }

    [Fact]
    public void AdmissionOverTheRecordBoundSaysQueueLimit()
    {
        var ledger = Ledger(limit: 1);
        Admitted(ledger);
        var record = Record();

        Assert.False(ledger.TryAdmit(ref record, shuttingDown: false));

        Assert.Equal(1, _counters.LostFor(LossReason.QueueFull));
        Assert.Contains("(queueLimit)", Assert.Single(_listener.Failures).Message);
    }

    [Fact]
    public void AdmissionOverTheByteBoundSaysHowManyBytesOfQueueLimitBytes()
    {
        var ledger = Ledger(limit: 10, limitBytes: 500);
        Admitted(ledger, size: 400);
        var record = Record(size: 200);

        Assert.False(ledger.TryAdmit(ref record, shuttingDown: false));

        Assert.Equal(1, _counters.Queued);
        Assert.Equal(400, _counters.QueuedBytes);
        Assert.Contains("was dropped because the events already queued hold about 400 bytes, and this one about 200 more (queueLimitBytes: 500); " +
            "the service is slower than the application logs, or unreachable, or the events are very large", Assert.Single(_listener.Failures).Message);
    }

    // The outcome named, told to the ledger for the record (or its formatted form).
    static void Finish(RecordLedger ledger, string outcome, in PendingRecord record, in FormattedRecord formatted)
    {
        switch (outcome)
        {
            case "delivered": ledger.Delivered(record, RecordKind.AuditLog, TimeSpan.FromMilliseconds(5)); break;
            case "delivered-formatted": ledger.Delivered(formatted, TimeSpan.FromMilliseconds(5)); break;
            case "lost": ledger.Lost(record, LossReason.Rejected, "was refused", null); break;
            case "lost-formatted": ledger.Lost(formatted, LossReason.Rejected, "was refused", null); break;
            case "buffered": ledger.Buffered(record); break;
            case "buffered-formatted": ledger.Buffered(formatted); break;
            case "dry-run": ledger.WrittenInDryRun(formatted); break;
            case "error": ledger.LostToAnError(record, "could not be sent", new InvalidOperationException("boom")); break;
            case "error-formatted": ledger.LostToAnError(formatted, "could not be sent", new InvalidOperationException("boom")); break;
        }
    }

    public static TheoryData<string> Outcomes() => new() { "delivered", "delivered-formatted", "lost", "lost-formatted", "buffered", "buffered-formatted", "dry-run", "error", "error-formatted" };

    [Theory]
    [MemberData(nameof(Outcomes))]
    public void EveryOutcomeGivesTheBytesBackAndSettlesTheEpoch(string outcome)
    {
        var ledger = Ledger();
        var record = Admitted(ledger, size: 300);
        var formatted = new FormattedRecord(default, RecordKind.Event, "user.login", Some.Timestamp, record.Size, record.Original, record.Epoch);
        var epoch = ledger.CloseEpoch();

        Finish(ledger, outcome, record, formatted);

        Assert.Equal(0, _counters.Queued);
        Assert.Equal(0, _counters.QueuedBytes);
        Assert.True(epoch.Settled.IsCompleted);
        Assert.Equal(outcome.StartsWith("delivered", StringComparison.Ordinal) ? 1 : 0, _counters.Sent);
        Assert.Equal(outcome == "dry-run" ? 1 : 0, _counters.DryRun);
        Assert.Equal(outcome.StartsWith("lost", StringComparison.Ordinal) ? 1 : 0, _counters.LostFor(LossReason.Rejected));
        Assert.Equal(outcome.StartsWith("error", StringComparison.Ordinal) ? 1 : 0, _counters.LostFor(LossReason.Invalid));
    }

    // Abandoned at shutdown: the records unfinished then are lost (shutdown, kind unknown) at once, and their epochs
    // settled; whatever becomes of them later gives back their bytes, is counted no more, and only a loss is handed to
    // the failure listener.
    [Theory]
    [MemberData(nameof(Outcomes))]
    public void AfterAbandonAnOutcomeIsNotCountedAgain(string outcome)
    {
        var ledger = Ledger();
        var record = Admitted(ledger, size: 300);
        Admitted(ledger, size: 50);
        var formatted = new FormattedRecord(default, RecordKind.Event, "user.login", Some.Timestamp, record.Size, record.Original, record.Epoch);
        var epoch = ledger.CloseEpoch();

        Assert.Equal(2, ledger.Abandon());
        Assert.Equal(2, _counters.LostFor(LossReason.Shutdown));
        Assert.All(_counters.LostByKind(LossReason.Shutdown), n => Assert.Equal(0, n));
        Assert.NotNull(_counters.SinceLost(LossReason.Shutdown));
        Finish(ledger, outcome, record, formatted);

        Assert.Equal(1, _counters.Queued);
        Assert.Equal(50, _counters.QueuedBytes);
        Assert.Equal(0, _counters.Sent);
        Assert.Equal(0, _counters.DryRun);
        Assert.Equal(2, _counters.Lost);
        // A loss is still handed to the listener (its fallback sink keeps the event), with the event as logged.
        var handed = outcome.StartsWith("lost", StringComparison.Ordinal) || outcome.StartsWith("error", StringComparison.Ordinal);
        Assert.Equal(handed ? 1 : 0, _listener.Failures.Count);
        if (handed)
            Assert.Same(record.Original, Assert.Single(_listener.Failures[0].Events));
        // Every epoch was settled by the abandonment: no flush waits for what is counted already.
        Assert.True(epoch.Settled.IsCompleted);
        Assert.Equal(0, epoch.Remaining);
    }

    [Fact]
    public void AbandoningWithNothingUnfinishedCountsNothing()
    {
        var ledger = Ledger();
        ledger.Delivered(Admitted(ledger), RecordKind.Event, TimeSpan.Zero);

        Assert.Equal(0, ledger.Abandon());
        Assert.Equal(0, _counters.Lost);
        Assert.Null(_counters.SinceLost(LossReason.Shutdown));
    }

    [Fact]
    public void ADeliveryIsCountedForItsKind()
    {
        var ledger = Ledger();
        var record = Admitted(ledger);

        ledger.Delivered(record, RecordKind.AuditLog, TimeSpan.FromMilliseconds(5));

        Assert.Equal(1, _counters.Sent);
        Assert.NotNull(_counters.SinceSent);
    }

    [Fact]
    public void AnUnexpectedErrorIsAnInvalidLossNamingTheErrorsType()
    {
        var ledger = Ledger();
        var record = Admitted(ledger);

        ledger.LostToAnError(record, "could not be sent", new InvalidOperationException("boom"));

        var failure = Assert.Single(_listener.Failures);
        Assert.EndsWith("could not be sent because of an unexpected error in the sink (InvalidOperationException)", failure.Message);
        Assert.IsType<InvalidOperationException>(failure.Exception);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AReportThatThrowsIsSaidInSelfLogAndTheRecordIsStillFinished(bool formatted)
    {
        using var selfLog = new SelfLogCollector();
        var ledger = Ledger(redact: _ => throw new FormatException("the report failed"));
        var record = Admitted(ledger, size: 300);
        var epoch = ledger.CloseEpoch();

        if (formatted)
            ledger.LostToAnError(new FormattedRecord(default, RecordKind.Event, "user.login", Some.Timestamp, record.Size, record.Original, record.Epoch), "could not be sent", new InvalidOperationException("boom"));
        else
            ledger.LostToAnError(record, "could not be sent", new InvalidOperationException("boom"));

        var line = Assert.Single(selfLog.Lines, l => l.Contains("LogTrace: an event could not be sent or reported because of an unexpected error in the sink: ", StringComparison.Ordinal));
        Assert.Contains("boom", line);
        Assert.Contains("the report failed", line);
        Assert.Equal(0, _counters.Queued);
        Assert.Equal(0, _counters.QueuedBytes);
        Assert.True(epoch.Settled.IsCompleted);
    }
}
