using System.Text.Json;
using Serilog.Core;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.HealthChecks;
using Serilog.Sinks.LogTrace.Pipeline;
using Serilog.Sinks.LogTrace.Sending;
using Serilog.Sinks.LogTrace.Testing;
using Serilog.Sinks.LogTrace.Tests.Flush;
using Serilog.Sinks.LogTrace.Tests.Support;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Serilog.Sinks.LogTrace.Tests.DryRun;

// A dry run formats and checks every record as for sending, then writes it instead of sending it: the server beside
// it must see no request at all.
public class DryRunTests
{
    static readonly TimeSpan Long = TimeSpan.FromSeconds(30);
    const string Token = "sess_dryrun_0123456789";

    static Logger DryRunLogger(LogTraceTestServer server, TextWriter output, Action<LogTraceSinkOptions>? configure = null) =>
        new LoggerConfiguration().WriteTo.LogTrace(o =>
        {
            o.Endpoint = server.Endpoint;
            o.DryRun = true;
            o.DryRunOutput = output;
            configure?.Invoke(o);
        }).CreateLogger();

    static Task<LogTraceFlushResult> Flush(LogTraceSink sink) => SinkFlush.FlushAsync(new[] { sink }, Long, default);

    static string[] Lines(StringWriter output) =>
        output.ToString().Split(new[] { Environment.NewLine }, StringSplitOptions.RemoveEmptyEntries);

    static JsonElement Body(string line, string route)
    {
        var prefix = DryRunOutput.Prefix + route + " ";
        Assert.StartsWith(prefix, line);
        return JsonDocument.Parse(line.Substring(prefix.Length)).RootElement;
    }

    // A token too short to search for in text (SessionTokens.MinimumLength) is still the token where it stands as one:
    // the session's and the sign-out's bodies show the marker, not the token, while the text around it is left whole.
    [Fact]
    public async Task AShortTokenIsNotWrittenWhereItStandsAsTheToken()
    {
        await using var server = await LogTraceTestServer.StartAsync();
        var output = new StringWriter();
        using var logger = DryRunLogger(server, output);
        var sink = FlushTests.SinkFor(server);

        logger.ForContext(LogTraceProperties.SessionStatus, "active").ForContext(LogTraceProperties.SessionToken, "tk\"7")
            .ForContext(LogTraceProperties.UserName, "tk\"7 jane").Information("Signed in");
        logger.ForContext(LogTraceProperties.SessionStatus, "logout").ForContext(LogTraceProperties.SessionToken, "tk\"7").Information("Signed out");
        Assert.True((await Flush(sink)).Completed);

        var lines = Lines(output);
        var session = Body(Assert.Single(lines, l => l.Contains("/sessions ")), server.Endpoint + "/sessions");
        Assert.Equal(LogTraceRedaction.Marker, session.GetProperty("token").GetString());
        Assert.Equal("tk\"7 jane", session.GetProperty("username").GetString());
        var logout = Assert.Single(lines, l => l.Contains("/sessions/logout "));
        Assert.Equal("{\"token\":\"" + LogTraceRedaction.Marker + "\"}", Body(logout, server.Endpoint + "/sessions/logout").GetRawText());
    }

    [Fact]
    public async Task EveryKindOfRecordIsWrittenWithItsRouteAndNoRequestIsMade()
    {
        await using var server = await LogTraceTestServer.StartAsync();
        var output = new StringWriter();
        using var logger = DryRunLogger(server, output, o => o.ApiKey = Some.ApiKey);
        var sink = FlushTests.SinkFor(server);

        logger.ForContext(LogTraceProperties.EventName, "invoice.created").ForContext(LogTraceProperties.UserId, "u-1")
            .Information("Created with {Key}", Some.ApiKey);
        logger.ForContext(LogTraceProperties.AuditLogName, "invoice.deleted").ForContext(LogTraceProperties.UserId, "u-1").Information("Deleted");
        logger.ForContext(LogTraceProperties.SessionStatus, "active").ForContext(LogTraceProperties.SessionToken, Token)
            .ForContext(LogTraceProperties.UserName, "jane").Information("Signed in with {Token}", Token);
        var result = await Flush(sink);

        Assert.True(result.Completed);
        var lines = Lines(output);
        Assert.Equal(3, lines.Length);
        var eventBody = Body(Assert.Single(lines, l => l.Contains("/events ")), server.Endpoint + "/events");
        Assert.Equal("invoice.created", eventBody.GetProperty("name").GetString());
        Assert.Equal("Created with \"" + LogTraceRedaction.Marker + "\"", eventBody.GetProperty("metadata").GetProperty("message").GetString());
        Assert.Equal("invoice.deleted", Body(Assert.Single(lines, l => l.Contains("/audit-logs ")), server.Endpoint + "/audit-logs")
            .GetProperty("name").GetString());
        var session = Body(Assert.Single(lines, l => l.Contains("/sessions ")), server.Endpoint + "/sessions");
        Assert.Equal("[REDACTED]", session.GetProperty("token").GetString());
        // Neither the key nor the session's token is written anywhere.
        Assert.DoesNotContain(Some.ApiKey, output.ToString());
        Assert.DoesNotContain(Token, output.ToString());

        Assert.Empty(server.Requests);
        var status = sink.Status(false);
        Assert.Equal(3, status.DryRunRecords);
        Assert.Equal(0, status.Sent);
        Assert.Equal(0, status.Queued);
        Assert.Null(status.BufferUnavailable);
        Assert.All(status.Lost.Values, n => Assert.Equal(0, n));
    }

    [Fact]
    public void WithoutAKeyADryRunHasAnEmptyOne()
    {
        var settings = Serilog.Sinks.LogTrace.Configuration.LogTraceSinkSettings.Create(new LogTraceSinkOptions { DryRun = true }, _ => null);
        Assert.Equal("", settings.ApiKey);
    }

    // The same log event, sent to the server by an ordinary sink and written by a dry run: the same body, but for its
    // own _event_id.
    [Fact]
    public async Task TheBodyWrittenIsTheBodyThatWouldBeSent()
    {
        await using var server = await LogTraceTestServer.StartAsync(new LogTraceTestServerOptions { RateLimitEnabled = false });
        var logEvent = Some.Event("invoice.paid", template: "Paid {Amount} for {@Invoice}", properties: new[]
        {
            Some.Prop("Amount", 12.5m),
            Some.Prop("Invoice", new StructureValue(new[] { new LogEventProperty("Id", new ScalarValue("INV-1")) }, "Invoice")),
        });
        using (var sending = new LoggerConfiguration().WriteTo.LogTrace(Some.ApiKey, server.Endpoint).CreateLogger())
            sending.Write(logEvent);
        var sent = (await server.WaitForRecordsAsync(1, Long))[0].Body;

        var output = new StringWriter();
        using (var dry = DryRunLogger(server, output, o => o.ApiKey = Some.ApiKey))
            dry.Write(logEvent);
        var written = Body(Assert.Single(Lines(output)), server.Endpoint + "/events");

        Assert.Equal(WithoutEventId(sent), WithoutEventId(written));
        Assert.Single(server.Requests);
    }

    static string WithoutEventId(JsonElement body)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(body.GetRawText())!.AsObject();
        Assert.True(json["metadata"]!.AsObject().Remove("_event_id"));
        return json.ToJsonString();
    }

    // Checked exactly as for sending: a record the service could never accept is counted invalid, not written.
    [Fact]
    public async Task ARecordThatCouldNeverBeSentIsCountedInvalidAndNotWritten()
    {
        await using var server = await LogTraceTestServer.StartAsync();
        var output = new StringWriter();
        using var logger = DryRunLogger(server, output, o => o.FallbackUserName = null);
        var sink = FlushTests.SinkFor(server);

        logger.ForContext(LogTraceProperties.EventName, "no.user").Information("Nobody");
        await Flush(sink);

        Assert.Empty(output.ToString());
        Assert.Equal(1, sink.Counters.LostFor(LossReason.Invalid));
        Assert.Equal(0, sink.Status(false).DryRunRecords);
        Assert.Empty(server.Requests);
    }

    // A writer that fails loses the record to an error, counted: never silently dropped, and the sink goes on.
    [Fact]
    public async Task AWriterThatThrowsLosesTheRecordCountedAndTheSinkGoesOn()
    {
        await using var server = await LogTraceTestServer.StartAsync();
        var output = new FailingWriter();
        using var logger = DryRunLogger(server, output);
        var sink = FlushTests.SinkFor(server);
        var failures = new CollectingFailureListener();
        sink.SetFailureListener(failures);

        logger.ForContext(LogTraceProperties.EventName, "fails.once").Information("First");
        await Flush(sink);
        output.Fail = false;
        logger.ForContext(LogTraceProperties.EventName, "written").Information("Second");
        await Flush(sink);

        Assert.Equal(1, sink.Counters.LostFor(LossReason.Invalid));
        Assert.Equal(1, sink.Status(false).DryRunRecords);
        Assert.Contains("\"written\"", output.Text.ToString());
        // Each line is flushed as it is written: a console or a file shows it at once.
        Assert.Equal(1, output.Flushes);
        var failure = Assert.Single(failures.Failures);
        Assert.Contains("could not be written to the dry run's output because of an unexpected error in the sink (IOException)", failure.Message);
        Assert.IsType<IOException>(failure.Exception);
    }

    // No buffer is opened (no folder is made), and the status says why the configured one is not used.
    [Fact]
    public async Task ADryRunWritesNothingToTheDurableBuffer()
    {
        using var folder = new TempFolder();
        var bufferPath = folder.Combine("never-made");
        await using var server = await LogTraceTestServer.StartAsync();
        var output = new StringWriter();
        using var logger = DryRunLogger(server, output, o => o.BufferPath = bufferPath);
        var sink = FlushTests.SinkFor(server);

        logger.ForContext(LogTraceProperties.EventName, "not.buffered").Information("Dry");
        await Flush(sink);

        Assert.False(Directory.Exists(bufferPath));
        Assert.Single(Lines(output));
        var status = sink.Status(false);
        Assert.Null(status.Buffered);
        Assert.Contains("dry run", status.BufferUnavailable);
        Assert.Empty(server.Requests);
    }

    // Degraded, not Healthy: a dry run left on sends nothing, and the check says so first.
    [Fact]
    public async Task TheHealthCheckReportsADryRunAsDegraded()
    {
        await using var server = await LogTraceTestServer.StartAsync();
        using var logger = DryRunLogger(server, new StringWriter());
        var sink = FlushTests.SinkFor(server);
        logger.ForContext(LogTraceProperties.EventName, "checked").Information("Dry");
        await Flush(sink);

        var verdict = HealthRules.Evaluate(new[] { sink.Status(false) }, new LogTraceHealthCheckOptions());

        Assert.Equal(HealthStatus.Degraded, verdict.Status);
        Assert.Equal("The LogTrace sink for " + new Uri(server.Endpoint) + " is in dry run: nothing is sent to the service; 1 records were " +
            "written to its dry-run output (SelfLog or DryRunOutput) instead.", verdict.Description);
        Assert.Equal(1L, verdict.Data["dry_run"]);
    }

    sealed class FailingWriter : TextWriter
    {
        public bool Fail { get; set; } = true;

        public StringWriter Text { get; } = new();

        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public int Flushes { get; private set; }

        public override void Flush() => Flushes++;

        public override void WriteLine(string? value)
        {
            if (Fail)
                throw new IOException("the disk is full");
            Text.WriteLine(value);
        }
    }
}
