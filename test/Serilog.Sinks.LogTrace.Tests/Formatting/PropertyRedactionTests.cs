using System.Text.Json;
using LogTrace.Collector;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Records;
using Serilog.Sinks.LogTrace.Tests.Support;
using static Serilog.Sinks.LogTrace.Tests.Support.Some;

namespace Serilog.Sinks.LogTrace.Tests.Formatting;

// LogTraceRedaction.SensitiveProperties: a sensitive name's value never leaves, wherever it stands in a record's
// metadata and whatever kind of record it is; the rendered message shows the marker in its place; the record's own
// fields are never touched (docs/redaction.md).
public class PropertyRedactionTests
{
    const string Hash = "AQAAAAIAAYagAAAAEHash0123456789";

    static string Format(LogEvent logEvent, RecordKind expected, LogTraceEventFormatter? formatter = null)
    {
        var (outcome, kind, json) = FormattedBody.Try(logEvent, formatter);
        Assert.Equal(FormatOutcome.Formatted, outcome);
        Assert.Equal(expected, kind);
        using var document = JsonDocument.Parse(json);
        var validation = kind switch
        {
            RecordKind.AuditLog => LogTraceCollector.ValidateAuditLog(document.RootElement),
            RecordKind.Session => LogTraceCollector.ValidateSession(document.RootElement),
            _ => LogTraceCollector.ValidateEvent(document.RootElement),
        };
        Assert.Equal(202, validation.Status);
        return json;
    }

    static JsonElement Metadata(string json) => JsonDocument.Parse(json).RootElement.GetProperty("metadata").Clone();

    static KeyValuePair<ScalarValue, LogEventPropertyValue> Entry(object key, LogEventPropertyValue value) => new(new ScalarValue(key), value);

    static StructureValue User(string email, string hash, string stamp) => new(new[]
    {
        new LogEventProperty("Id", new ScalarValue(42)),
        new LogEventProperty("Email", new ScalarValue(email)),
        new LogEventProperty("PasswordHash", new ScalarValue(hash)),
        new LogEventProperty("Security", new StructureValue(new[]
        {
            new LogEventProperty("SecurityStamp", new ScalarValue(stamp)),
            new LogEventProperty("TwoFactorEnabled", new ScalarValue(true)),
        })),
    }, "User");

    [Fact]
    public void AnAuditLogWhoseBeforeHoldsANestedPasswordHashIsPinned()
    {
        var json = Format(LogEvent("User {UserId} changed their email; was {@Before}, now {@After}", properties: new[]
        {
            Prop(LogTraceProperties.AuditLogName, "user.email_changed"),
            Prop(LogTraceProperties.UserId, "u-42"),
            Prop("Before", User("old@example.com", Hash, "STAMP-OLD-0001")),
            Prop("After", User("new@example.com", Hash, "STAMP-NEW-0002")),
        }), RecordKind.AuditLog);

        Approvals.Verify(json, "redacted-audit-log");
        Assert.DoesNotContain(Hash, json);
        Assert.DoesNotContain("STAMP-", json);
        var before = Metadata(json).GetProperty("Before");
        Assert.Equal(LogTraceRedaction.Marker, before.GetProperty("PasswordHash").GetString());
        Assert.Equal(LogTraceRedaction.Marker, before.GetProperty("Security").GetProperty("SecurityStamp").GetString());
        Assert.True(before.GetProperty("Security").GetProperty("TwoFactorEnabled").GetBoolean());
        Assert.Equal("old@example.com", before.GetProperty("Email").GetString());
        // The description renders the states whole: the marker stands in the same places.
        var description = JsonDocument.Parse(json).RootElement.GetProperty("description").GetString()!;
        Assert.Contains("PasswordHash: \"[REDACTED]\"", description);
        Assert.Contains("Email: \"new@example.com\"", description);
    }

    [Fact]
    public void ADictionaryWithATokenKeyIsPinned()
    {
        var grant = new DictionaryValue(new[]
        {
            Entry("token", new ScalarValue("tok_live_abcdef0123456789")),
            Entry("scope", new ScalarValue("invoices:read")),
            Entry(7, new ScalarValue("a number is no name")),
            Entry("refresh_token", new StructureValue(new[] { new LogEventProperty("Value", new ScalarValue("rt_0123456789")) })),
        });

        var json = Format(Event("oauth.granted", template: "Granted {Grant}", properties: Prop("Grant", grant)), RecordKind.Event);

        Approvals.Verify(json, "redacted-dictionary");
        Assert.DoesNotContain("tok_live", json);
        Assert.DoesNotContain("rt_0123456789", json);
        var sent = Metadata(json).GetProperty("Grant");
        Assert.Equal(LogTraceRedaction.Marker, sent.GetProperty("token").GetString());
        Assert.Equal(LogTraceRedaction.Marker, sent.GetProperty("refresh_token").GetString());
        Assert.Equal("invoices:read", sent.GetProperty("scope").GetString());
        Assert.Equal("a number is no name", sent.GetProperty("7").GetString());
    }

    [Fact]
    public void ASequenceOfStructuresWithCvvIsPinned()
    {
        static StructureValue Card(string last4, string cvv, string number) => new(new[]
        {
            new LogEventProperty("Last4", new ScalarValue(last4)),
            new LogEventProperty("Cvv", new ScalarValue(cvv)),
            new LogEventProperty("card_number", new ScalarValue(number)),
        }, "Card");
        var cards = new SequenceValue(new LogEventPropertyValue[] { Card("4242", "123", "4242424242424242"), Card("0005", "987", "5555555555550005"), new ScalarValue("plain") });

        var json = Format(Event("wallet.updated", template: "Wallet now holds {@Cards}", properties: Prop("Cards", cards)), RecordKind.Event);

        Approvals.Verify(json, "redacted-sequence");
        Assert.DoesNotContain("4242424242424242", json);
        Assert.DoesNotContain("\"987\"", json);
        var sent = Metadata(json).GetProperty("Cards");
        Assert.Equal(LogTraceRedaction.Marker, sent[1].GetProperty("Cvv").GetString());
        Assert.Equal("0005", sent[1].GetProperty("Last4").GetString());
        Assert.Equal("plain", sent[2].GetString());
        Assert.DoesNotContain("987", Metadata(json).GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("Password")]
    [InlineData("password")]
    [InlineData("PASSWORD_HASH")]
    [InlineData("password-hash")]
    [InlineData("passwordHash")]
    [InlineData("access_token")]
    [InlineData("api-key")]
    [InlineData("Cvv")]
    [InlineData("security_stamp")]
    public void ATopLevelSensitivePropertyIsRedactedHoweverItIsSpelt(string name)
    {
        // A name with '-' is no placeholder: such a property comes from ForContext or a scope, not the template.
        var placeholder = !name.Contains('-');
        var json = Format(Event("user.updated", template: placeholder ? "Updated {" + name + "}" : "Updated", properties: Prop(name, "hunter2-secret-value")), RecordKind.Event);

        Assert.DoesNotContain("hunter2", json);
        Assert.Equal(LogTraceRedaction.Marker, Metadata(json).GetProperty(name).GetString());
        Assert.Equal(placeholder ? "Updated \"[REDACTED]\"" : "Updated", Metadata(json).GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("TokenCount")]
    [InlineData("Tokens")]
    [InlineData("PasswordPolicy")]
    [InlineData("Passwords_")]
    [InlineData("Pass")]
    public void OnlyTheWholeNameMatches(string name)
    {
        var json = Format(Event("user.updated", properties: Prop(name, "kept")), RecordKind.Event);
        Assert.Equal("kept", Metadata(json).GetProperty(name).GetString());
    }

    [Fact]
    public void ASensitiveStructureOrListIsReplacedWhole()
    {
        var json = Format(Event("user.updated", properties: new[]
        {
            Prop("Secret", new StructureValue(new[] { new LogEventProperty("Value", new ScalarValue("s3cr3t-value")) })),
            Prop("ApiKey", new SequenceValue(new[] { new ScalarValue("key-one-0001"), new ScalarValue("key-two-0002") })),
            Prop("Pin", 9876),
        }), RecordKind.Event);

        Assert.DoesNotContain("s3cr3t", json);
        Assert.DoesNotContain("key-one", json);
        Assert.DoesNotContain("9876", json);
        var metadata = Metadata(json);
        Assert.Equal(LogTraceRedaction.Marker, metadata.GetProperty("Secret").GetString());
        Assert.Equal(LogTraceRedaction.Marker, metadata.GetProperty("ApiKey").GetString());
        Assert.Equal(LogTraceRedaction.Marker, metadata.GetProperty("Pin").GetString());
    }

    [Fact]
    public void ANameDeepInsideSequencesAndDictionariesIsFound()
    {
        LogEventPropertyValue value = new StructureValue(new[] { new LogEventProperty("Password", new ScalarValue("deep-secret-0001")) });
        for (var i = 0; i < 6; i++)
            value = i % 2 == 0 ? new SequenceValue(new[] { value }) : new DictionaryValue(new[] { Entry("level" + i, value) });

        var json = Format(Event("config.changed", template: "Config is now {Config}", properties: Prop("Config", value)), RecordKind.Event);

        Assert.DoesNotContain("deep-secret", json);
        Assert.Contains("\"Password\":\"[REDACTED]\"", json);
        Assert.Contains("Password: \\\"[REDACTED]\\\"", json);
    }

    [Fact]
    public void ASessionsMetadataIsRedactedButItsTokenIsSent()
    {
        const string token = "sess_7f3a9c1e5b2d4f60";
        var json = Format(LogEvent("User {UserName} signed in with {@Device}", properties: new[]
        {
            Prop(LogTraceProperties.SessionStatus, "active"),
            Prop(LogTraceProperties.SessionToken, token),
            Prop(LogTraceProperties.UserName, "jane_doe"),
            Prop("Device", new StructureValue(new[]
            {
                new LogEventProperty("Name", new ScalarValue("laptop")),
                new LogEventProperty("RefreshToken", new ScalarValue("rt_device_0123456789")),
            })),
            Prop("Token", "another-token-value"),
        }), RecordKind.Session);

        var body = JsonDocument.Parse(json).RootElement;
        Assert.Equal(token, body.GetProperty("token").GetString());
        Assert.DoesNotContain("rt_device", json);
        Assert.DoesNotContain("another-token-value", json);
        Assert.Equal(LogTraceRedaction.Marker, body.GetProperty("metadata").GetProperty("Token").GetString());
        Assert.Equal("laptop", body.GetProperty("metadata").GetProperty("Device").GetProperty("Name").GetString());
    }

    [Fact]
    public void TheRecordsOwnFieldsAreNeverRedactedEvenWhenTheirNamesAreListed()
    {
        const string token = "sess_7f3a9c1e5b2d4f60";
        var formatter = FormattedBody.Create(o =>
        {
            foreach (var name in new[] { "UserId", "UserName", "EventName", "SessionToken", "SessionStatus", "token", "user_id" })
                o.SensitiveProperties.Add(name);
        });

        var session = JsonDocument.Parse(Format(LogEvent("Signed in", properties: new[]
        {
            Prop(LogTraceProperties.SessionStatus, "active"),
            Prop(LogTraceProperties.SessionToken, token),
            Prop(LogTraceProperties.UserId, "u-42"),
        }), RecordKind.Session, formatter)).RootElement;
        var evt = JsonDocument.Parse(Format(Event("user.login", userName: "jane_doe"), RecordKind.Event, formatter)).RootElement;

        Assert.Equal(token, session.GetProperty("token").GetString());
        Assert.Equal("u-42", session.GetProperty("user_id").GetString());
        Assert.Equal("user.login", evt.GetProperty("name").GetString());
        Assert.Equal("jane_doe", evt.GetProperty("username").GetString());
    }

    [Fact]
    public void ASinksOwnNamesAreRedactedByThatSinkOnly()
    {
        var own = FormattedBody.Create(o => o.SensitiveProperties.Add("tax_id"));
        var logEvent = Event("customer.created", template: "Customer {@Customer}", properties: new[]
        {
            Prop("TaxId", "DE123456789"),
            Prop("Customer", new StructureValue(new[] { new LogEventProperty("Tax-Id", new ScalarValue("DE987654321")) })),
        });

        var redacted = Format(logEvent, RecordKind.Event, own);
        var plain = Format(logEvent, RecordKind.Event);

        Assert.DoesNotContain("DE123456789", redacted);
        Assert.DoesNotContain("DE987654321", redacted);
        Assert.Contains("DE123456789", plain);
        Assert.Contains("DE987654321", plain);
    }

    [Fact]
    public void BlankNamesInASinksListAreIgnored()
    {
        var formatter = FormattedBody.Create(o =>
        {
            o.SensitiveProperties.Add(" ");
            o.SensitiveProperties.Add("");
            o.SensitiveProperties.Add(" Nickname ");
        });

        var metadata = Metadata(Format(Event("user.updated", properties: new[] { Prop("Nickname", "jd"), Prop("_", "kept"), Prop("Email", "kept") }), RecordKind.Event, formatter));

        Assert.Equal(LogTraceRedaction.Marker, metadata.GetProperty("Nickname").GetString());
        Assert.Equal("kept", metadata.GetProperty("_").GetString());
        Assert.Equal("kept", metadata.GetProperty("Email").GetString());
    }

    [Fact]
    public void ANameAddedToTheProcessWideListIsRedactedByEverySink()
    {
        const string name = "PropertyRedactionTests_Unique_Secret";
        Assert.False(LogTraceRedaction.IsSensitiveProperty(name));
        LogTraceRedaction.SensitiveProperties.Add(name);
        try
        {
            Assert.True(LogTraceRedaction.IsSensitiveProperty("propertyredactiontests-unique-secret"));
            var json = Format(Event("user.updated", properties: Prop(name, "value-0001")), RecordKind.Event);
            Assert.DoesNotContain("value-0001", json);
        }
        finally
        {
            LogTraceRedaction.SensitiveProperties.Remove(name);
        }
    }

    [Fact]
    public void AMessageWithoutSensitiveValuesIsRenderedAsBefore()
    {
        var json = Format(Event("invoice.created", template: "Invoice {InvoiceId} for {@Customer}", properties: new[]
        {
            Prop("InvoiceId", "INV-1"),
            Prop("Customer", new StructureValue(new[] { new LogEventProperty("Name", new ScalarValue("Contoso")) })),
            // Not in the template: redacted in metadata, and the message never needed it.
            Prop("Password", "p4ss-0001"),
        }), RecordKind.Event);

        Assert.Equal("Invoice \"INV-1\" for { Name: \"Contoso\" }", Metadata(json).GetProperty("message").GetString());
        Assert.DoesNotContain("p4ss-0001", json);
    }

    [Fact]
    public void AValueWithoutSensitiveNamesIsNotCopied()
    {
        var redactor = new PropertyRedactor(null);
        var value = new StructureValue(new[] { new LogEventProperty("Name", new ScalarValue("Contoso")) });
        Assert.Same(value, redactor.Redact(value));
        Assert.False(redactor.Holds(new ScalarValue("Password")));
        Assert.False(redactor.Holds(null));
    }

    [Fact]
    public void TheMessagePropertiesViewRedactsAsItIsEnumeratedToo()
    {
        var redactor = new PropertyRedactor(new[] { "Nickname" });
        var logEvent = LogEvent("x", properties: new[]
        {
            Prop(LogTraceProperties.SessionToken, "sess_0123456789"),
            Prop("Nickname", "jd"),
            Prop("Grant", new DictionaryValue(new[] { Entry("token", new ScalarValue("tok-1")) })),
            Prop("Plain", "kept"),
        });

        var view = redactor.ForMessage(logEvent);

        Assert.Equal(4, view.Count);
        Assert.True(view.ContainsKey("Plain"));
        Assert.False(view.ContainsKey("Missing"));
        Assert.False(view.TryGetValue("Missing", out _));
        Assert.Throws<KeyNotFoundException>(() => view["Missing"]);
        Assert.Equal(new[] { LogTraceProperties.SessionToken, "Nickname", "Grant", "Plain" }, view.Keys);
        Assert.Equal("\"[REDACTED]\"", view[LogTraceProperties.SessionToken].ToString());
        Assert.Equal("\"[REDACTED]\"", view["Nickname"].ToString());
        Assert.Equal("[(\"token\": \"[REDACTED]\")]", view["Grant"].ToString());
        Assert.Equal("\"kept\"", view["Plain"].ToString());
        var enumerated = view.ToDictionary(p => p.Key, p => p.Value.ToString());
        Assert.Equal(view.Values.Select(v => v.ToString()), enumerated.Values);
        Assert.Equal("\"[REDACTED]\"", enumerated["Nickname"]);
        Assert.Equal("[(\"token\": \"[REDACTED]\")]", enumerated["Grant"]);
        Assert.Equal(4, ((System.Collections.IEnumerable)view).Cast<object>().Count());
    }

    [Fact]
    public void AValueDeeperThanTheWriterGoesIsNotSearched_ButCountsAsHoldingOne()
    {
        var redactor = new PropertyRedactor(null);
        LogEventPropertyValue value = new StructureValue(new[] { new LogEventProperty("Name", new ScalarValue("x")) });
        Assert.False(redactor.Holds(value, PropertyValueWriter.MaxDepth));
        Assert.True(redactor.Holds(value, PropertyValueWriter.MaxDepth + 1));
        Assert.False(redactor.Holds(new ScalarValue("x"), PropertyValueWriter.MaxDepth + 1));
        Assert.Equal(PropertyValueWriter.DepthLimitMarker, ((ScalarValue)redactor.Redact(value, PropertyValueWriter.MaxDepth + 1)).Value);
    }

    static LogEventPropertyValue Nest(LogEventPropertyValue value, int levels)
    {
        for (var i = 0; i < levels; i++)
            value = new SequenceValue(new[] { value });
        return value;
    }

    static readonly StructureValue WithPassword = new(new[] { new LogEventProperty("Password", new ScalarValue("x")) });

    [Fact]
    public void ValuesWithoutSensitiveNamesHoldNone()
    {
        var redactor = new PropertyRedactor(null);
        var plain = new StructureValue(new[] { new LogEventProperty("Name", new ScalarValue("Contoso")) });
        Assert.False(redactor.Holds(new SequenceValue(new LogEventPropertyValue[] { new ScalarValue(1), plain, new ScalarValue("Password") })));
        Assert.False(redactor.Holds(new DictionaryValue(new[] { Entry("name", plain), Entry(3, new ScalarValue("token")) })));
        Assert.False(redactor.Holds(plain));
        Assert.True(redactor.Holds(new SequenceValue(new LogEventPropertyValue[] { plain, WithPassword })));
        Assert.True(redactor.Holds(new DictionaryValue(new[] { Entry("name", plain), Entry("inner", WithPassword) })));
    }

    // The depth the writer stops at (PropertyValueWriter.MaxDepth) bounds the search in every kind of value, from
    // wherever it starts: past it, a container is not searched and counts as holding a sensitive name, so the message
    // shows the depth marker there, as the metadata does (found by a review: Serilog's renderer has no limit, and
    // printed a password 40 levels down into the message).
    [Fact]
    public void PastTheDepthLimitAContainerCountsAsHoldingOne()
    {
        var redactor = new PropertyRedactor(null);
        var plain = new ScalarValue("plain");
        Assert.True(redactor.Holds(Nest(WithPassword, PropertyValueWriter.MaxDepth)));
        Assert.True(redactor.Holds(Nest(WithPassword, PropertyValueWriter.MaxDepth + 1)));
        Assert.False(redactor.Holds(Nest(plain, PropertyValueWriter.MaxDepth + 1)));
        Assert.True(redactor.Holds(Nest(plain, PropertyValueWriter.MaxDepth + 2)));
        Assert.True(redactor.Holds(new StructureValue(new[] { new LogEventProperty("Deep", Nest(plain, PropertyValueWriter.MaxDepth + 1)) })));
        Assert.True(redactor.Holds(new DictionaryValue(new[] { Entry("deep", Nest(plain, PropertyValueWriter.MaxDepth + 1)) })));
        Assert.False(redactor.Holds(new DictionaryValue(new[] { Entry("deep", Nest(plain, PropertyValueWriter.MaxDepth)) })));
    }

    // Depth is counted through structures and dictionaries as through sequences, and a container at the limit itself
    // is still searched and copied, not replaced.
    [Fact]
    public void TheCopyCountsDepthThroughEveryKindOfValue()
    {
        var redactor = new PropertyRedactor(null);
        LogEventPropertyValue structures = new ScalarValue("plain");
        LogEventPropertyValue dictionaries = new ScalarValue("plain");
        for (var i = 0; i < PropertyValueWriter.MaxDepth + 3; i++)
        {
            structures = new StructureValue(new[] { new LogEventProperty("Child", structures) });
            dictionaries = new DictionaryValue(new[] { Entry("child", dictionaries) });
        }

        Assert.Contains(PropertyValueWriter.DepthLimitMarker, redactor.Redact(structures).ToString(), StringComparison.Ordinal);
        Assert.Contains(PropertyValueWriter.DepthLimitMarker, redactor.Redact(dictionaries).ToString(), StringComparison.Ordinal);

        var atTheLimit = (StructureValue)redactor.Redact(WithPassword, PropertyValueWriter.MaxDepth);
        Assert.Equal("{ Password: \"[REDACTED]\" }", atTheLimit.ToString());
    }

    [Fact]
    public void ACopyReplacesWhatLiesPastTheDepthLimitWithTheMetadatasMarker()
    {
        var redactor = new PropertyRedactor(null);
        var deep = Nest(new StructureValue(new[] { new LogEventProperty("Secret", new ScalarValue("s3cr3t-value")) }), PropertyValueWriter.MaxDepth + 5);
        var plain = new ScalarValue("kept");

        var structure = (StructureValue)redactor.Redact(new StructureValue(new[] { new LogEventProperty("Password", new ScalarValue("x")), new LogEventProperty("Deep", deep), new LogEventProperty("Plain", plain) }));
        var sequence = (SequenceValue)redactor.Redact(new SequenceValue(new[] { WithPassword, deep }));
        var dictionary = (DictionaryValue)redactor.Redact(new DictionaryValue(new[] { Entry("password", new ScalarValue("x")), Entry("deep", deep) }));

        Assert.Equal("\"[REDACTED]\"", structure.Properties[0].Value.ToString());
        Assert.Same(plain, structure.Properties[2].Value);
        foreach (var copy in new LogEventPropertyValue[] { structure, sequence, dictionary })
        {
            var text = copy.ToString();
            Assert.DoesNotContain("s3cr3t-value", text);
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(text, System.Text.RegularExpressions.Regex.Escape(PropertyValueWriter.DepthLimitMarker)));
        }
        Assert.Equal("{ Password: \"[REDACTED]\" }", sequence.Elements[0].ToString());
    }

    [Fact]
    public void OnlyAPlaceholderWithASensitiveValueMakesTheMessageRedacted()
    {
        var redactor = new PropertyRedactor(null);
        Assert.False(redactor.InMessage(LogEvent("Invoice {InvoiceId} for {@Customer} by {Missing}", properties: new[]
        {
            Prop("InvoiceId", "INV-1"),
            Prop("Customer", new StructureValue(new[] { new LogEventProperty("Name", new ScalarValue("Contoso")) })),
            Prop("Password", "not a placeholder"),
        })));
        Assert.False(redactor.InMessage(LogEvent("Reset {Password}")));
        Assert.True(redactor.InMessage(LogEvent("Reset {Password}", properties: Prop("Password", "x"))));
        Assert.True(redactor.InMessage(LogEvent("Was {@Before}", properties: Prop("Before", WithPassword))));
    }
}
