using Microsoft.Extensions.Logging;
using Serilog.Sinks.LogTrace.Testing;
using Serilog.Sinks.LogTrace.Tests.Support;
using Serilog.Sinks.LogTrace.Tests.TypedRecords;

namespace Serilog.Sinks.LogTrace.Tests.Logging;

// The session token is the sink's: Microsoft.Extensions.Logging hands RecordSession's scope and a typed session's state
// to every provider, and the JSON console with IncludeScopes lists their values. It must print the marker where the
// token stands, while the same calls deliver the real token to the service through Serilog's provider.
// Console.SetOut is process-wide: this runs in the collection that runs alone.
[Collection(SelfLogCollection.Name)]
public class SessionTokenProviderTests
{
    const string Key = "lg_0123456789abcdef0123";
    const string Token = "sess_json_console_0123456789";

    [Fact]
    public async Task TheJsonConsoleNeverPrintsTheTokenThatTheSinkSends()
    {
        await using var server = await LogTraceTestServer.StartAsync();
        var output = new StringWriter();
        var original = Console.Out;
        Console.SetOut(output);
        try
        {
            var serilog = new LoggerConfiguration().WriteTo.LogTrace(Key, server.Endpoint).CreateLogger();
            // The console provider takes Console.Out when it is created, and writes from a thread of its own until disposed.
            using (var factory = LoggerFactory.Create(builder => builder
                .AddJsonConsole(o => o.IncludeScopes = true)
                .AddSerilog(serilog, dispose: true)))
            {
                var logger = factory.CreateLogger("Accounts");
                using (logger.BeginScope(new Dictionary<string, object> { ["UserId"] = "u-42" }))
                {
                    logger.RecordSession(LogTraceSessionStatus.Successful, Token, "User {UserName} signed in", "jane");
                    logger.SessionStarted(Token, "u-42", "jane");
                    logger.RecordSession(LogTraceSessionStatus.Logout, Token, "User {UserName} signed out", "jane");
                }
            }
        }
        finally
        {
            Console.SetOut(original);
        }

        var printed = output.ToString();
        // The console did list the scope's and the typed state's values, the marker in the token's place.
        Assert.Contains("\"SessionStatus\":\"successful\"", printed);
        Assert.Contains("\"SessionToken\":\"[REDACTED]\"", printed);
        Assert.Equal(3, printed.Split("\"SessionToken\":\"[REDACTED]\"").Length - 1);
        Assert.DoesNotContain(Token, printed);
        Assert.DoesNotContain("sess_", printed);

        var records = await server.WaitForRecordsAsync(3, TimeSpan.FromSeconds(10));
        Assert.Empty(server.RefusedRequests);
        Assert.Equal(2, records.Count(r => r.Kind == LogTraceRecordKind.Session));
        Assert.All(records, r => Assert.Equal(Token, r.Body.GetProperty("token").GetString()));
        Assert.Single(records, r => r.Kind == LogTraceRecordKind.SignOut);
        // Nor does the token reach the record's own text.
        Assert.All(records.Where(r => r.Kind == LogTraceRecordKind.Session), r => Assert.DoesNotContain(Token, r.Body.GetProperty("metadata").GetRawText()));
    }

    [Fact]
    public void AProviderThatFormatsTheTokenValueGetsTheMarker()
    {
        var captured = new List<object?>();
        using (var factory = LoggerFactory.Create(builder => builder.AddProvider(new ScopeValues(captured))))
            factory.CreateLogger("Accounts").RecordSession(LogTraceSessionStatus.Successful, Token, "Signed in");

        var token = Assert.Single(captured);
        Assert.Equal(LogTraceRedaction.Marker, Convert.ToString(token, System.Globalization.CultureInfo.InvariantCulture));
        // Serilog's provider captures it as a list of its one element: the sink's way back to the token.
        Assert.Equal(new[] { Token }, Assert.IsAssignableFrom<IEnumerable<string>>(token));
        Assert.Equal(new object[] { Token }, ((System.Collections.IEnumerable)token!).Cast<object>());
    }

    // A provider that lists each scope's values, as the JSON console does, and keeps the SessionToken one.
    sealed class ScopeValues : ILoggerProvider, Microsoft.Extensions.Logging.ILogger, ISupportExternalScope
    {
        readonly List<object?> _captured;
        IExternalScopeProvider? _scopes;

        public ScopeValues(List<object?> captured) => _captured = captured;

        public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => this;

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => _scopes?.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _scopes?.ForEachScope((scope, values) =>
            {
                if (scope is IEnumerable<KeyValuePair<string, object>> pairs)
                    values.AddRange(pairs.Where(p => p.Key == LogTraceProperties.SessionToken).Select(p => (object?)p.Value));
            }, _captured);

        public void Dispose()
        {
        }
    }
}
