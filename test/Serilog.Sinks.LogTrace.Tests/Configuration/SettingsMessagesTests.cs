using Serilog.Sinks.LogTrace.Configuration;
using Serilog.Sinks.LogTrace.Tests.Support;
using static Serilog.Sinks.LogTrace.Tests.Support.Some;

namespace Serilog.Sinks.LogTrace.Tests.Configuration;

// Each configuration mistake LogTraceSinkSettings refuses, at its edge, with its whole message: the message is the fix
// a user reads at startup, so a word lost from it is a regression. Where a value is accepted just inside an edge, the
// test says so too.
[Collection(SelfLogCollection.Name)]
public class SettingsMessagesTests
{
    const string Official = "https://api.logtracehq.com/v1/developers";

    static LogTraceSinkSettings Create(Action<LogTraceSinkOptions> configure) => TestSettings.Create(configure);

    static LogTraceSinkSettings Create(LogTraceSinkOptions options) => LogTraceSinkSettings.Create(options, _ => null);

    static string MessageOf(Exception ex, string parameter)
    {
        var argument = Assert.IsAssignableFrom<ArgumentException>(ex);
        Assert.Equal(parameter, argument.ParamName);
        // ArgumentException appends " (Parameter 'name')"; what the sink wrote is before it.
        return ex.Message.Substring(0, ex.Message.IndexOf(" (Parameter '", StringComparison.Ordinal));
    }

    [Fact]
    public void NoOptionsIsAnArgumentNullException() =>
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => LogTraceSinkSettings.Create(null!, _ => null)).ParamName);

    [Fact]
    public void NoKeyAnywhere()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => Create(new LogTraceSinkOptions()));
        Assert.Equal("The LogTrace sink needs an API key, and none was found. Either pass it as apiKey: WriteTo.LogTrace(apiKey: \"lg_...\") " +
            "(in appsettings.json: \"Args\": { \"apiKey\": \"...\" }), or set the LOGTRACE_API_KEY environment variable.", ex.Message);
    }

    [Fact]
    public void ADryRunNeedsNoKey_WhetherItIsMissingOrBlank()
    {
        Assert.Equal("", Create(new LogTraceSinkOptions { DryRun = true }).ApiKey);
        Assert.Equal("", Create(new LogTraceSinkOptions { DryRun = true, ApiKey = "   " }).ApiKey);
        // The default endpoint "contains" the empty key; that is not a key in the endpoint.
        Assert.Equal(Official, Create(new LogTraceSinkOptions { DryRun = true }).BaseUri.ToString());
    }

    [Fact]
    public void AnUnsetPlaceholder()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => Create(o => o.ApiKey = "%MY_LOGTRACE_KEY%"));
        Assert.Equal("The LogTrace API key is the placeholder %MY_LOGTRACE_KEY%, so the environment variable MY_LOGTRACE_KEY is not set in " +
            "this process. Set it, or configure the key another way.", ex.Message);
    }

    [Theory]
    [InlineData("%abcdefghijk")]
    [InlineData("abcdefghijk%")]
    [InlineData("lg_!0123456789abcdef~")]
    public void AKeyWithAPercentAtOneEndOnly_OrWithTheFirstAndLastPrintableCharacters_IsAccepted(string key) =>
        Assert.Equal(key, Create(o => o.ApiKey = key).ApiKey);

    // Found by a review: a quote or a ';' after lg_ (an env file's artefact) was sent as it was, and said first as a
    // 401 at the first record. It is still sent (it is header-safe), and said at configuration, with its position.
    [Theory]
    [InlineData("\"", 36)]
    [InlineData("'", 36)]
    [InlineData(";", 36)]
    public void AStrayCharacterAfterLgIsSaid_ByPositionNotByKey(string stray, int position)
    {
        using var selfLog = new SelfLogCollector();

        Assert.Equal(ApiKey + stray, Create(o => o.ApiKey = ApiKey + stray).ApiKey);

        var line = Assert.Single(selfLog.Lines, l => l.Contains("LogTrace: the configured API key has", StringComparison.Ordinal));
        Assert.Contains("has '" + stray + "' at position " + position + ", which a LogTrace key (lg_ followed by hex digits) never has", line, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lg_0123456789abcdef")]
    [InlineData("lg_tracing-key_0123456789ABCDEF")]
    public void AKeyOfLettersDigitsAndSeparatorsAfterLgIsNotSaid(string key)
    {
        using var selfLog = new SelfLogCollector();

        Create(o => o.ApiKey = key);

        Assert.DoesNotContain(selfLog.Lines, l => l.Contains("LogTrace: the configured API key", StringComparison.Ordinal));
    }

    [Fact]
    public void AKeyWithoutLgIsSaid()
    {
        using var selfLog = new SelfLogCollector();

        Create(o => o.ApiKey = "ltk_0123456789");

        Assert.Contains(selfLog.Lines, l => l.Contains("LogTrace: the configured API key does not start with lg_; LogTrace keys do, so the service may answer 401.", StringComparison.Ordinal));
    }

    [Fact]
    public void TwoPercentSignsAreATooShortKey_NotAPlaceholder()
    {
        var ex = Assert.Throws<ArgumentException>(() => Create(o => o.ApiKey = "%%"));
        Assert.Equal("The LogTrace API key is 2 characters long, too short to be a LogTrace key (lg_ followed by hex digits).", MessageOf(ex, "apiKey"));
    }

    [Fact]
    public void AKeyOfSevenCharactersIsTooShort_OfEightIsNot()
    {
        var ex = Assert.Throws<ArgumentException>(() => Create(o => o.ApiKey = "lg_abcd"));
        Assert.Equal("The LogTrace API key is 7 characters long, too short to be a LogTrace key (lg_ followed by hex digits).", MessageOf(ex, "apiKey"));
        Assert.Equal("lg_abcde", Create(o => o.ApiKey = "lg_abcde").ApiKey);
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("ApiKey")]
    [InlineData("Basic")]
    [InlineData("Token")]
    public void EachAuthorizationScheme(string scheme)
    {
        var ex = Assert.Throws<ArgumentException>(() => Create(o => o.ApiKey = scheme + " " + ApiKey));
        Assert.Equal("The LogTrace API key starts with an authorization scheme (" + scheme + "); give the key alone (lg_...): the sink sends it " +
            "in the X-API-Key header.", MessageOf(ex, "apiKey"));
    }

    [Fact]
    public void ACharacterThatCannotTravelInAHeaderIsNamedByItsPosition()
    {
        var ex = Assert.Throws<ArgumentException>(() => Create(o => o.ApiKey = "lg_0123\u0001456789"));
        Assert.Equal("The LogTrace API key contains a control character at position 8, which cannot be sent in an HTTP header; LogTrace keys " +
            "are lg_ followed by hex digits. Check the configured value or the LOGTRACE_API_KEY environment variable for a stray character " +
            "(a copy-paste artefact or a trailing newline inside quotes).", MessageOf(ex, "apiKey"));
    }

    [Fact]
    public void AnEndpointHoldingTheKey_EvenAsItsWholeValue()
    {
        const string expected = "The LogTrace endpoint contains the API key. Give the key as apiKey (or LOGTRACE_API_KEY) and the endpoint as " +
            "the ingestion base URL, e.g. " + Official + ".";
        Assert.Equal(expected, MessageOf(Assert.Throws<ArgumentException>(() => Create(o => o.Endpoint = "https://x.example/" + ApiKey)), "endpoint"));
        Assert.Equal(expected, MessageOf(Assert.Throws<ArgumentException>(() => Create(o => o.Endpoint = ApiKey)), "endpoint"));
    }

    [Theory]
    [InlineData("not-a-url", "'not-a-url'")]
    [InlineData("lg_ffffffffffffffffffffffffffffffff", "(a value that looks like an API key)")]
    public void AnEndpointThatIsNotAUrl_ShownUnlessItLooksLikeAKey(string endpoint, string shown)
    {
        var ex = Assert.Throws<ArgumentException>(() => Create(o => o.Endpoint = endpoint));
        Assert.Equal("The LogTrace endpoint " + shown + " is not an absolute http:// or https:// URL without spaces or control characters. " +
            "Use the ingestion base URL, e.g. " + Official + ", or leave it unset to use that default.", MessageOf(ex, "endpoint"));
    }

    [Fact]
    public void AnEndpointWithCredentials()
    {
        var ex = Assert.Throws<ArgumentException>(() => Create(o => o.Endpoint = "https://user:pw@api.example.com/v1/developers"));
        Assert.Equal("The LogTrace endpoint must not carry user credentials (user:password@); the sink authenticates with the API key.",
            MessageOf(ex, "endpoint"));
    }

    [Theory]
    [InlineData("https://api.example.com/v1/developers?x=1")]
    [InlineData("https://api.example.com/v1/developers#part")]
    public void AnEndpointWithAQueryOrAFragment(string endpoint)
    {
        var ex = Assert.Throws<ArgumentException>(() => Create(o => o.Endpoint = endpoint));
        Assert.Equal("The LogTrace endpoint must not carry a query string or fragment; use the ingestion base URL, e.g. " + Official + ".",
            MessageOf(ex, "endpoint"));
    }

    [Fact]
    public void PlainHttpToTheServiceItself()
    {
        var ex = Assert.Throws<ArgumentException>(() => Create(o => o.Endpoint = "http://api.logtracehq.com/v1/developers"));
        Assert.Equal("The LogTrace endpoint uses http:// for the LogTrace service, which takes https:// only; the API key would travel " +
            "unencrypted. Use " + Official + ".", MessageOf(ex, "endpoint"));
    }

    [Theory]
    [InlineData("https://api.logtracehq.com/v1/events-elsewhere", true)]
    [InlineData("https://api.logtracehq.com/developers", false)]
    [InlineData("https://collector.example/ingest", false)]
    public void OnlyTheServicesOwnHostOutsideTheDevelopersRouteWarns(string endpoint, bool warns)
    {
        using var selfLog = new SelfLogCollector();
        Create(o => o.Endpoint = endpoint);
        Assert.Equal(warns, selfLog.Lines.Any(l => l.Contains("is not under /v1/developers", StringComparison.Ordinal)));
    }

    [Fact]
    public void QueueLimitBytesMustBePositive()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Create(o => o.QueueLimitBytes = 0));
        Assert.StartsWith("The LogTrace sink's queueLimitBytes (LogTraceSinkOptions.QueueLimitBytes) must be greater than zero; it was 0.",
            MessageOf(ex, "queueLimitBytes"));
        Assert.Equal(1, Create(o => o.QueueLimitBytes = 1).Options.QueueLimitBytes);
    }

    [Fact]
    public void MaxConcurrentRequestsAboveItsLimit()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Create(o => o.MaxConcurrentRequests = 65));
        Assert.StartsWith("The LogTrace sink's maxConcurrentRequests (LogTraceSinkOptions.MaxConcurrentRequests) must be at most 64; it was 65. " +
            "The service takes 100 requests a minute from one address, so more senders only wait.", MessageOf(ex, "maxConcurrentRequests"));
        Assert.Equal(64, Create(o => o.MaxConcurrentRequests = 64).Options.MaxConcurrentRequests);
    }

    [Fact]
    public void ABufferSmallerThanOneMebibyte()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Create(o => o.BufferSizeLimitBytes = 1024 * 1024 - 1));
        Assert.StartsWith("The LogTrace sink's bufferSizeLimitBytes (LogTraceSinkOptions.BufferSizeLimitBytes) must be at least 1048576 (1 MiB); " +
            "it was 1048575.", MessageOf(ex, "bufferSizeLimitBytes"));
        Assert.Equal(1024 * 1024, Create(o => o.BufferSizeLimitBytes = 1024 * 1024).Options.BufferSizeLimitBytes);
    }

    [Fact]
    public void ABlankBufferPath()
    {
        var ex = Assert.Throws<ArgumentException>(() => Create(o => o.BufferPath = "  "));
        Assert.Equal("The LogTrace bufferPath is blank. Set it to a folder for the durable buffer, or leave it out (remove the argument or the " +
            "setting) to keep records in memory only.", MessageOf(ex, "bufferPath"));
    }

    [Theory]
    [InlineData("%LOGTRACE_TEST_UNSET_VARIABLE%/buffer")]
    [InlineData("data/%LOGTRACE_TEST_UNSET_VARIABLE%")]
    public void ABufferPathNamingAnUnsetVariable(string path)
    {
        var ex = Assert.Throws<ArgumentException>(() => Create(o => o.BufferPath = path));
        Assert.Equal("The LogTrace bufferPath '" + path + "' names an environment variable that is not set in this process (" + path +
            "); set it, or configure a path without it.", MessageOf(ex, "bufferPath"));
    }

    [Theory]
    [InlineData("disk 100%")]
    [InlineData("a%%b")]
    [InlineData("%")]
    public void APercentSignThatIsNotAVariableIsPartOfTheName(string path) =>
        Assert.Equal(Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, path)), Create(o => o.BufferPath = path).Options.BufferPath);

    [Fact]
    public void ABufferPathThatIsNotAPath()
    {
        var ex = Assert.Throws<ArgumentException>(() => Create(o => o.BufferPath = "buf\0fer"));
        Assert.StartsWith("The LogTrace bufferPath 'buf\0fer' is not a valid folder path: ", MessageOf(ex, "bufferPath"));
        Assert.NotNull(ex.InnerException);
    }
}
