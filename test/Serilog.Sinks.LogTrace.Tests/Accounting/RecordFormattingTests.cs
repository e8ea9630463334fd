using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Pipeline;
using Serilog.Sinks.LogTrace.Records;
using Serilog.Sinks.LogTrace.Sending;
using Serilog.Sinks.LogTrace.Tests.Formatting;
using Serilog.Sinks.LogTrace.Tests.Support;
using static Serilog.Sinks.LogTrace.Tests.Support.Some;

namespace Serilog.Sinks.LogTrace.Tests.Accounting;

// RecordFormatting on its own: a record becomes its body once, through the formatter and then the hook, and whatever
// cannot be sent is finished here, counted for its reason, before any request.
[Collection(SelfLogCollection.Name)]
public class RecordFormattingTests : IDisposable
{
    const string Token = "sess_0123456789abcdef";

    readonly LogTraceSinkCounters _counters = new();
    readonly CollectingFailureListener _listener = new();
    readonly Meter _meter = new("RecordFormattingTests");

    (RecordFormatting Formatting, IgnoredMarkers Markers) Create(Func<LogTraceOutgoingRecord, bool>? hook = null)
    {
        var reporter = new LossReporter(this, _counters, new FakeTimeProvider(Timestamp), text => text);
        reporter.SetFailureListener(_listener);
        var ledger = new RecordLedger(_counters, reporter, 10, 1_000_000);
        var markers = new IgnoredMarkers(_meter);
        return (new RecordFormatting(FormattedBody.Create(o => o.BeforeSend = hook), ledger, markers), markers);
    }

    static PendingRecord Pending(LogEvent logEvent) => new(logEvent, logEvent, null, 100);

    public void Dispose() => _meter.Dispose();

    static LogEvent SignOut(params (string, LogEventPropertyValue)[] more) => LogEvent("Signed out", properties: new[]
    {
        Prop(LogTraceProperties.SessionStatus, "logout"), Prop(LogTraceProperties.SessionToken, Token),
    }.Concat(more).ToArray());

    [Fact]
    public void ARecordIsFormattedIntoTheBuffersWithItsKind()
    {
        var (formatting, _) = Create();
        using var buffers = new FormatBuffers();

        Assert.True(formatting.TryFormat(Pending(Event("user.login")), buffers, out var kind));

        Assert.Equal(RecordKind.Event, kind);
        Assert.Contains("\"name\":\"user.login\"", Encoding.UTF8.GetString(buffers.Body.Span));
        Assert.Equal(0, _counters.Lost);
    }

    [Fact]
    public void AFormatterThatThrowsLosesTheRecordAsInvalidCountedAsAnEvent()
    {
        var (formatting, _) = Create();
        var buffers = new FormatBuffers();
        buffers.Dispose();

        Assert.False(formatting.TryFormat(Pending(AuditLog()), buffers, out var kind));

        Assert.Equal(RecordKind.Event, kind);
        Assert.Equal(1, _counters.LostFor(LossReason.Invalid));
        var failure = Assert.Single(_listener.Failures);
        Assert.EndsWith("could not be formatted, and was dropped", failure.Message);
        Assert.IsType<ObjectDisposedException>(failure.Exception);
    }

    [Fact]
    public void ASignOutCarryingAnotherMarkerIsSentAndTheMarkerCounted()
    {
        var (formatting, markers) = Create();
        using var buffers = new FormatBuffers();

        Assert.True(formatting.TryFormat(Pending(SignOut(Prop(LogTraceProperties.EventName, "user.logout"))), buffers, out var kind));

        Assert.Equal(RecordKind.SessionLogout, kind);
        Assert.Equal(1, markers.Seen);
    }

    [Fact]
    public void AnyOtherRecordCarryingTwoMarkersIsNotASignOutsToCount()
    {
        var (formatting, markers) = Create();
        using var buffers = new FormatBuffers();

        Assert.True(formatting.TryFormat(Pending(Event("user.login", properties: new[] { Prop(LogTraceProperties.AuditLogName, "x") })), buffers, out _));

        Assert.Equal(0, markers.Seen);
    }

    [Fact]
    public void ARecordTheHookDropsIsCountedForItsOwnReason()
    {
        var (formatting, _) = Create(_ => false);
        using var buffers = new FormatBuffers();

        Assert.False(formatting.TryFormat(Pending(Event("user.login")), buffers, out _));

        Assert.Equal(1, _counters.LostFor(LossReason.DroppedByHook));
    }

    [Fact]
    public void ARecordTheServiceWouldRefuseIsInvalidWithItsReason()
    {
        var (formatting, _) = Create();
        using var buffers = new FormatBuffers();

        // A sign-out without its token.
        Assert.False(formatting.TryFormat(Pending(LogEvent("Signed out", properties: new[] { Prop(LogTraceProperties.SessionStatus, "logout") })), buffers, out _));

        Assert.Equal(1, _counters.LostFor(LossReason.Invalid));
        Assert.Null(Assert.Single(_listener.Failures).Exception);
    }
}
