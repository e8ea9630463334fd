using System.Globalization;
using Serilog.Sinks.LogTrace.Records;

namespace Serilog.Sinks.LogTrace.Tests.TypedRecords;

// The state a generated method passes to Microsoft.Extensions.Logging: the pairs Serilog's provider reads, and the
// message every other provider prints (ToString), rendered as a message template would be.
public class LogTraceRecordStateTests
{
    static LogTraceRecordState State(string template, params (string Name, object? Value)[] pairs) =>
        new(template, pairs.Select(p => p.Name).ToArray(), pairs.Select(p => p.Value).ToArray());

    [Theory]
    [InlineData("User {UserName} signed in with {Method}", "User jane signed in with sso")]
    [InlineData("{UserName}", "jane")]
    [InlineData("{{literal}} and }} stay", "{literal} and } stay")]
    [InlineData("{@UserName} and {$Method}", "jane and sso")]
    [InlineData("{UserName,10} {Method:u}", "      jane sso")]
    [InlineData("[{UserName,-6}][{Method,5}]", "[jane  ][  sso]")]
    [InlineData("{UserName,2}", "jane")]
    [InlineData("{UserName,abc} {Method,+5} {UserName,}", "{UserName,abc} {Method,+5} {UserName,}")]
    [InlineData("{1a} {Missing,5:x}", "{1a} {Missing,5:x}")]
    [InlineData("{Missing} stays", "{Missing} stays")]
    [InlineData("an open { brace", "an open { brace")]
    [InlineData("ends with {", "ends with {")]
    [InlineData("a } alone", "a } alone")]
    [InlineData("ends with }", "ends with }")]
    [InlineData("", "")]
    public void TheMessageIsTheTemplateWithItsPlaceholdersFilled(string template, string message)
    {
        var state = State(template, ("UserName", "jane"), ("Method", "sso"));

        Assert.Equal(message, state.ToString());
        Assert.Equal(message, LogTraceRecordState.Format(state, null));
    }

    [Fact]
    public void AFormatAndAnAlignmentApplyToTheValue_AsStringFormatWouldApplyThem()
    {
        var culture = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("fr-FR");
            var state = State("{Amount:N2}|{At:yyyy-MM-dd}|{Count,-4:D2}|{Id:x}", ("Amount", 1234.5), ("At", new DateTime(2026, 12, 5)), ("Count", 7), ("Id", 255));

            Assert.Equal("1,234.50|2026-12-05|07  |ff", state.ToString());
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    [Fact]
    public void ASequenceReadsAsItsItems_AsMicrosoftsFormatterWritesIt()
    {
        var state = State("{Roles} {Empty} {Codes:N1}", ("Roles", new[] { "admin", null, "audit" }), ("Empty", new List<int>()), ("Codes", new[] { 1, 2 }));

        Assert.Equal("admin, (null), audit  1, 2", state.ToString());
    }

    sealed class NoText
    {
        public override string? ToString() => null;
    }

    sealed class Named
    {
        public override string ToString() => "named";
    }

    [Fact]
    public void AnObjectReadsAsItsToString_NullAsNothing()
    {
        var state = State("[{A}][{B}][{C}]", ("A", new Named()), ("B", new NoText()), ("C", new object[] { new NoText(), new Named() }));

        Assert.Equal("[named][][, named]", state.ToString());
    }

    [Fact]
    public void ATokenInTheMessageIsTheMarker_NeverItsItems()
    {
        var state = State("Signed in with {SessionToken,-12}|{SessionToken:l}", (LogTraceProperties.SessionToken, "sess_0123456789"));

        var message = state.ToString();

        Assert.DoesNotContain("sess_", message);
        Assert.Equal("Signed in with " + LogTraceRedaction.Marker.PadRight(12) + "|" + LogTraceRedaction.Marker, message);
    }

    [Fact]
    public void ACapturedPlaceholderMatchesItsPrefixedName()
    {
        Assert.Equal("before: 7", State("before: {@Before}", ("@Before", 7)).ToString());
        Assert.Equal("before: 7", State("before: {Before}", ("$Before", 7)).ToString());
    }

    // The invariant culture, whatever the thread's: the sink renders its own message so, and so does Microsoft's
    // formatter (found by a review: the two messages differed under de-DE).
    [Fact]
    public void ANullValueReadsNullAndNumbersUseTheInvariantCulture()
    {
        var culture = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            Assert.Equal("(null) 1.5 1,234.50 1.5, 2", State("{A} {B} {C:N2} {D}", ("A", null), ("B", 1.5), ("C", 1234.5m), ("D", new[] { 1.5, 2 })).ToString());
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    [Fact]
    public void NumbersAndDatesReadAsInTheMessageTheSinkRenders()
    {
        var culture = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            var state = State("Paid {Amount:N2} on {At:yyyy-MM-dd}", ("Amount", 1234.5m), ("At", new DateTime(2026, 12, 5)));
            var output = new StringWriter();
            using (var logger = new LoggerConfiguration().WriteTo.LogTrace(o =>
                   {
                       o.ApiKey = Serilog.Sinks.LogTrace.Tests.Support.Some.ApiKey;
                       o.Endpoint = "https://logtrace.example/v1/developers";
                       o.DryRun = true;
                       o.DryRunOutput = output;
                   }).CreateLogger())
            {
                logger.ForContext(LogTraceProperties.AuditLogName, "invoice.paid").ForContext(LogTraceProperties.UserId, "u-1")
                    .Information("Paid {Amount:N2} on {At:yyyy-MM-dd}", 1234.5m, new DateTime(2026, 12, 5));
            }

            Assert.Equal("Paid 1,234.50 on 2026-12-05", state.ToString());
            Assert.Contains("\"description\":\"" + state + "\"", output.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    [Fact]
    public void ThePairsAreTheValuesInOrderThenTheOriginalFormat()
    {
        var state = State("User {UserName}", ("UserName", "jane"), ("UserId", 7));

        Assert.Equal(3, state.Count);
        Assert.Equal(new KeyValuePair<string, object?>("UserName", "jane"), state[0]);
        Assert.Equal(new KeyValuePair<string, object?>("UserId", 7), state[1]);
        Assert.Equal(new KeyValuePair<string, object?>("{OriginalFormat}", "User {UserName}"), state[2]);
        Assert.Equal(new[] { "UserName", "UserId", "{OriginalFormat}" }, state.Select(p => p.Key));
        Assert.Throws<ArgumentOutOfRangeException>(() => state[3]);
        Assert.Throws<ArgumentOutOfRangeException>(() => state[-1]);
    }

    [Fact]
    public void ASessionTokenReachesOtherProvidersOnlyAsTheMarker()
    {
        var state = State("Signed in", (LogTraceProperties.SessionToken, "sess_0123456789"), ("Other", "sess_0123456789"));

        var token = state[0].Value;
        Assert.IsType<HiddenSessionToken>(token);
        Assert.Equal(LogTraceRedaction.Marker, token!.ToString());
        Assert.Equal("sess_0123456789", state[1].Value);
        Assert.Equal("", State("Signed in", (LogTraceProperties.SessionToken, ""))[0].Value);
        Assert.Null(State("Signed in", (LogTraceProperties.SessionToken, null))[0].Value);
    }
}

// A catalogue entry (what the generated LogTraceRecordCatalog lists): its fields as given, and one line for it.
public class LogTraceRecordDescriptionTests
{
    [Fact]
    public void AnEntryKeepsItsFieldsAndReadsAsOneLine()
    {
        var description = new LogTraceRecordDescription("Event", "user.login", Serilog.Events.LogEventLevel.Warning, "string userId, string method",
            "User {UserId} signed in with {Method}", "App.AuditTrail.UserSignedIn");

        Assert.Equal(("Event", "user.login", Serilog.Events.LogEventLevel.Warning, "string userId, string method", "User {UserId} signed in with {Method}", "App.AuditTrail.UserSignedIn"),
            (description.Kind, description.Name, description.Level, description.Parameters, description.Message, description.Method));
        Assert.Equal("Event user.login (Warning) App.AuditTrail.UserSignedIn(string userId, string method): \"User {UserId} signed in with {Method}\"",
            description.ToString());
    }
}
