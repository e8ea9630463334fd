using Microsoft.Extensions.Time.Testing;
using Serilog.Core;
using Serilog.Debugging;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Pipeline;
using Serilog.Sinks.LogTrace.Records;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Accounting;

// LossReporter on its own: what a failure listener receives, what SelfLog says and when, and what the summary at
// shutdown adds up.
[Collection(SelfLogCollection.Name)]
public class LossReporterTests
{
    const string Secret = "lg_secret_0123456789";

    readonly FakeTimeProvider _time = new(Some.Timestamp);
    readonly LogTraceSinkCounters _counters = new();

    LossReporter Reporter() => new(this, _counters, _time, text => text.Replace(Secret, "lg_***", StringComparison.Ordinal));

    sealed class ThrowingListener : ILoggingFailureListener
    {
        public int Calls;

        public void OnLoggingFailed(object sender, LoggingFailureKind kind, string message, IReadOnlyCollection<LogEvent>? events, Exception? exception)
        {
            Calls++;
            throw new InvalidOperationException("listener failed");
        }
    }

    sealed class SenderListener : ILoggingFailureListener
    {
        public List<object> Senders { get; } = new();

        public void OnLoggingFailed(object sender, LoggingFailureKind kind, string message, IReadOnlyCollection<LogEvent>? events, Exception? exception) =>
            Senders.Add(sender);
    }

    [Fact]
    public void AListenerHearsOfEachOfTheRecordsLostAtOnceWithTheMessageRedactedAndWithoutBraces()
    {
        using var selfLog = new SelfLogCollector();
        var reporter = Reporter();
        var listener = new CollectingFailureListener();
        reporter.SetFailureListener(listener);
        Assert.True(reporter.HasListener);

        reporter.Lost(LossReason.Corrupt, null, "records {of the store} " + Secret, null, "could not be read", null, count: 3);

        Assert.Equal(3, listener.Failures.Count);
        Assert.All(listener.Failures, f =>
        {
            Assert.Equal(LoggingFailureKind.Permanent, f.Kind);
            Assert.Equal("LogTrace records (of the store) lg_*** could not be read", f.Message);
            Assert.Empty(f.Events);
            Assert.Null(f.Exception);
        });
        Assert.Equal(3, _counters.LostFor(LossReason.Corrupt));
        var line = Assert.Single(selfLog.Lines);
        Assert.EndsWith("LogTrace records (of the store) lg_*** could not be read; 3 LogTrace records lost in all", line);

        // The other two were held back: the summary counts them, of unknown kind.
        reporter.Flush();
        Assert.Equal(2, selfLog.Lines.Count);
        Assert.EndsWith("LogTrace: 2 more records lost (corrupt) since the previous line; the last: LogTrace records (of the store) lg_*** could not be read",
            selfLog.Lines[1]);
    }

    [Fact]
    public void TheListenerIsToldWhoLostTheRecordAndGetsTheLogEventAsLogged()
    {
        var reporter = Reporter();
        var senders = new SenderListener();
        reporter.SetFailureListener(senders);
        reporter.Lost(LossReason.Rejected, RecordKind.Event, "order.placed", null, "was rejected", null);
        Assert.Same(this, Assert.Single(senders.Senders));

        var listener = new CollectingFailureListener();
        reporter.SetFailureListener(listener);
        var logged = Some.Event("order.placed");
        reporter.Lost(LossReason.Rejected, PendingRecord.Of(logged), "was rejected", null);
        reporter.Lost(LossReason.Rejected, RecordKind.Event, "order.placed", logged, "was rejected", null);
        Assert.All(listener.Failures, f => Assert.Same(logged, Assert.Single(f.Events)));
        Assert.Equal("LogTrace event \"order.placed\" was rejected", listener.Failures[0].Message);
        Assert.Equal(3, _counters.LostFor(LossReason.Rejected));
    }

    [Fact]
    public void SelfLogsOwnListenerIsNoListener()
    {
        var reporter = Reporter();
        reporter.SetFailureListener(new CollectingFailureListener());
        reporter.SetFailureListener(SelfLog.FailureListener);
        Assert.False(reporter.HasListener);
    }

    [Fact]
    public void AListenerThatThrowsIsSaidAndTheLossIsStillCounted()
    {
        using var selfLog = new SelfLogCollector();
        var reporter = Reporter();
        var listener = new ThrowingListener();
        reporter.SetFailureListener(listener);

        reporter.Lost(LossReason.Rejected, RecordKind.AuditLog, "invoice.deleted", null, "was rejected", null);

        Assert.Equal(1, listener.Calls);
        Assert.Equal(1, _counters.LostFor(LossReason.Rejected));
        Assert.Contains(selfLog.Lines, l => l.Contains("LogTrace: the failure listener threw: System.InvalidOperationException: listener failed"));
        Assert.Contains(selfLog.Lines, l => l.EndsWith("LogTrace audit log \"invoice.deleted\" was rejected; 1 LogTrace record lost in all", StringComparison.Ordinal));
    }

    [Fact]
    public void AnExceptionQuotingTheKeyReachesTheListenerRedactedAndAnyOtherAsItIs()
    {
        var reporter = Reporter();
        var listener = new CollectingFailureListener();
        reporter.SetFailureListener(listener);
        var quoting = new InvalidOperationException("the handler sent Authorization: Bearer " + Secret);
        var plain = new InvalidOperationException("connection refused");

        reporter.Lost(LossReason.Invalid, RecordKind.Event, "a", null, "failed", quoting);
        reporter.Lost(LossReason.Invalid, RecordKind.Event, "b", null, "failed", plain);

        var redacted = Assert.IsType<LogTraceDeliveryException>(listener.Failures[0].Exception);
        Assert.Equal(quoting.ToString().Replace(Secret, "lg_***", StringComparison.Ordinal), redacted.Message);
        Assert.Same(plain, listener.Failures[1].Exception);
    }

    // Losses at shutdown are summed up by the sink's own line: never written here, with or without a listener.
    [Fact]
    public void ShutdownLossesAreCountedButNotWritten()
    {
        using var selfLog = new SelfLogCollector();
        var reporter = Reporter();
        reporter.Lost(LossReason.Shutdown, PendingRecord.Of(Some.AuditLog()), "could not be sent before the shutdown timeout", null);
        reporter.Lost(LossReason.Shutdown, RecordKind.Event, "a", null, "could not be sent", null);
        var listener = new CollectingFailureListener();
        reporter.SetFailureListener(listener);
        reporter.Lost(LossReason.Shutdown, RecordKind.Event, "b", null, "could not be sent", null);
        reporter.Flush();

        Assert.Equal(3, _counters.LostFor(LossReason.Shutdown));
        Assert.Equal(new long[] { 2, 1 }, _counters.LostByKind(LossReason.Shutdown).Take(2));
        Assert.Single(listener.Failures);
        Assert.Empty(selfLog.Lines);
    }

    // Without a listener: the first loss is written at once, later ones within the interval are counted by kind and named
    // by the last one in the summary, which is written once.
    [Fact]
    public void LossesHeldBackAreSummedUpByKindOnceAndNameTheLast()
    {
        using var selfLog = new SelfLogCollector();
        var reporter = Reporter();

        reporter.Lost(LossReason.Rejected, PendingRecord.Of(Some.Event("first")), "was rejected", null);
        reporter.Lost(LossReason.Rejected, PendingRecord.Of(Some.AuditLog("invoice.{deleted}")), "was rejected (" + Secret + ")", null);
        reporter.Lost(LossReason.Rejected, RecordKind.AuditLog, "invoice.updated", null, "was rejected", null);

        var first = Assert.Single(selfLog.Lines);
        Assert.EndsWith("LogTrace event \"first\" was rejected; 1 LogTrace record lost in all", first);
        Assert.Equal(new long[] { 1, 2 }, _counters.LostByKind(LossReason.Rejected).Take(2));

        reporter.Flush();
        reporter.Flush();
        Assert.Equal(2, selfLog.Lines.Count);
        Assert.EndsWith("LogTrace: 2 more audit logs lost (rejected) since the previous line; the last: LogTrace audit log \"invoice.updated\" was rejected",
            selfLog.Lines[1]);

        // Made from the log event, redacted and without braces, when the last one was known by its event.
        reporter.Lost(LossReason.Rejected, PendingRecord.Of(Some.AuditLog("invoice.{deleted}")), "was rejected (" + Secret + ")", null);
        reporter.Flush();
        Assert.Equal(3, selfLog.Lines.Count);
        Assert.EndsWith("LogTrace: 1 more audit log lost (rejected) since the previous line; the last: LogTrace audit log \"invoice.(deleted)\" " +
            "was rejected (lg_***)", selfLog.Lines[2]);
    }

    // The next line after the interval says how many were held back, by kind, and starts the count again.
    [Fact]
    public void TheNextLineCountsOnlyWhatWasHeldBackSinceThePreviousOne()
    {
        using var selfLog = new SelfLogCollector();
        var reporter = Reporter();

        reporter.Lost(LossReason.Rejected, RecordKind.Event, "a", null, "was rejected", null);
        reporter.Lost(LossReason.Rejected, RecordKind.AuditLog, "b", null, "was rejected", null);
        _time.Advance(LossReporter.Interval);
        reporter.Lost(LossReason.Rejected, RecordKind.Event, "c", null, "was rejected", null);
        reporter.Lost(LossReason.Rejected, RecordKind.Event, "d", null, "was rejected", null);

        Assert.Equal(2, selfLog.Lines.Count);
        Assert.EndsWith("LogTrace event \"c\" was rejected (1 more audit log lost for the same reason since the previous line); 3 LogTrace records lost in all",
            selfLog.Lines[1]);
        reporter.Flush();
        Assert.EndsWith("LogTrace: 1 more event lost (rejected) since the previous line; the last: LogTrace event \"d\" was rejected", selfLog.Lines[2]);
    }

    // A line for several records lost at once that the interval lets through: the others are held back with their kind.
    [Fact]
    public void SeveralLostAtOnceAfterTheIntervalAreWrittenOnceAndTheRestSummedUp()
    {
        using var selfLog = new SelfLogCollector();
        var reporter = Reporter();

        reporter.Lost(LossReason.RetryLimit, RecordKind.Event, "a", null, "was not accepted in time", null);
        reporter.Lost(LossReason.RetryLimit, RecordKind.Event, "b", null, "was not accepted in time", null);
        _time.Advance(LossReporter.Interval);
        reporter.Lost(LossReason.RetryLimit, RecordKind.AuditLog, "audit log \"backlog\"", null, "was not accepted in time", null, count: 4);
        reporter.Lost(LossReason.RetryLimit, RecordKind.AuditLog, "audit log \"backlog\"", null, "was not accepted in time", null, count: 2);

        Assert.Equal(2, selfLog.Lines.Count);
        Assert.EndsWith("LogTrace audit log \"backlog\" was not accepted in time (1 more event lost for the same reason since the previous line); " +
            "6 LogTrace records lost in all", selfLog.Lines[1]);
        reporter.Flush();
        Assert.EndsWith("LogTrace: 5 more audit logs lost (retry_limit) since the previous line; the last: LogTrace audit log \"backlog\" was not accepted in time",
            selfLog.Lines[2]);
        Assert.Equal(8, _counters.LostFor(LossReason.RetryLimit));
    }

    // Each reason has its own interval.
    [Fact]
    public void AnotherReasonIsWrittenAtOnce()
    {
        using var selfLog = new SelfLogCollector();
        var reporter = Reporter();

        reporter.Lost(LossReason.Rejected, RecordKind.Event, "a", null, "was rejected", null);
        reporter.Lost(LossReason.QueueFull, PendingRecord.Of(Some.Event("b")), "was dropped", null);

        Assert.Equal(2, selfLog.Lines.Count);
        Assert.EndsWith("LogTrace event \"b\" was dropped; 2 LogTrace records lost in all", selfLog.Lines[1]);
    }
}
