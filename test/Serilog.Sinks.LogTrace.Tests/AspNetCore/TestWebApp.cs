using System.Security.Claims;
using System.Text.Encodings.Web;
using LogTrace.Collector;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serilog.Sinks.LogTrace.AspNetCore;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.AspNetCore;

// A real ASP.NET Core app on Kestrel (127.0.0.1, free port) whose LogTrace events go to a local collector.
sealed class TestWebApp : IAsyncDisposable
{
    public const string UserHeader = "X-Test-User";
    public const string SessionToken = "sess_web_0123456789abcdef";

    readonly WebApplication _app;
    readonly Serilog.Core.Logger? _logger;

    TestWebApp(WebApplication app, RunningCollector collector, Serilog.Core.Logger? logger)
    {
        _app = app;
        Collector = collector;
        _logger = logger;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Client = new HttpClient { BaseAddress = new Uri(address) };
    }

    public RunningCollector Collector { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Set by /abandoned once its handler runs, so a test knows when to walk away.
    public TaskCompletionSource HandlerStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public BackgroundWorker Worker => _app.Services.GetRequiredService<BackgroundWorker>();

    public static async Task<TestWebApp> StartAsync(
        Action<LogTraceHttpContextOptions>? options = null,
        Action<WebApplication>? beforeContext = null,
        bool useContext = true,
        bool register = true,
        bool readFromServices = false,
        string url = "http://127.0.0.1:0",
        Action<LoggerConfiguration>? alsoWriteTo = null,
        bool shareContext = false)
    {
        var collector = await CollectorHelpers.StartAsync();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        if (register)
            builder.Services.AddLogTraceHttpContext(options);
        builder.Services.AddAuthentication("Test").AddScheme<AuthenticationSchemeOptions, HeaderAuthenticationHandler>("Test", null);
        builder.Services.AddAuthorization();
        builder.Services.AddRouting();
        builder.Services.AddSingleton<BackgroundWorker>();

        Serilog.Core.Logger? logger = null;
        void Sink(LoggerConfiguration lc)
        {
            lc.MinimumLevel.Information().WriteTo.LogTrace(o =>
            {
                o.ApiKey = CollectorHelpers.ApiKey;
                o.Endpoint = collector.DevelopersEndpoint;
                o.Period = TimeSpan.FromMilliseconds(20);
            });
            alsoWriteTo?.Invoke(lc);
        }

        if (readFromServices)
        {
            // Serilog.AspNetCore's way: the logger is built from the container.
            builder.Services.AddSerilog((services, lc) =>
            {
                lc.ReadFrom.Services(services);
                Sink(lc);
            });
        }
        else
        {
            // The static-logger way. The LogTrace sink needs no enricher; WithLogTraceHttpContext() is the opt-in that
            // gives the other sinks the request context too.
            var configuration = new LoggerConfiguration();
            if (shareContext)
                configuration.Enrich.WithLogTraceHttpContext();
            Sink(configuration);
            logger = configuration.CreateLogger();
            builder.Services.AddSerilog(logger, dispose: false);
        }

        var app = builder.Build();
        beforeContext?.Invoke(app);
        if (useContext)
            app.UseLogTraceHttpContext();
        app.UseAuthentication();
        app.UseRouting();
        var testApp = (TestWebApp?)null;
        MapEndpoints(app, () => testApp!);
        await app.StartAsync();
        testApp = new TestWebApp(app, collector, logger);
        return testApp;
    }

    static void MapEndpoints(WebApplication app, Func<TestWebApp> self)
    {
        ILogger<TestWebApp> Logger(HttpContext c) => c.RequestServices.GetRequiredService<ILogger<TestWebApp>>();
        Serilog.ILogger Serilog(HttpContext c) => c.RequestServices.GetRequiredService<Serilog.ILogger>();

        app.MapPost("/invoices", (HttpContext c) =>
        {
            Logger(c).RecordEvent("invoice.created", "Invoice {InvoiceId} created", "INV-1");
            return Results.Created("/invoices/INV-1", null);
        });
        app.MapGet("/invoices/{id}", (HttpContext c, string id) =>
        {
            Logger(c).RecordEvent("invoice.viewed", "Invoice {InvoiceId} looked up", id);
            return Results.NotFound();
        });
        app.MapDelete("/invoices/{id}", (HttpContext c, string id) =>
        {
            Logger(c).RecordAuditLog("invoice.deleted", "Invoice {InvoiceId} deleted; it was {@Before}", id, new { Total = 120.5m, Status = "open" });
            return Results.NoContent();
        });
        app.MapPost("/sign-in", (HttpContext c) =>
        {
            Logger(c).RecordSession(LogTraceSessionStatus.Successful, SessionToken, "Signed in");
            return Results.Ok();
        });
        app.MapPost("/exports", (HttpContext c) =>
        {
            Logger(c).RecordEvent("export.requested", "Export requested");
            throw new InvalidOperationException("The export service is down");
        });
        app.MapGet("/slow", async (HttpContext c) =>
        {
            Logger(c).RecordEvent("report.viewed", "Report viewed");
            await Task.Delay(300);
            return Results.Ok();
        });
        app.MapGet("/held", async (HttpContext c) =>
        {
            Logger(c).RecordEvent("held.event", "Waiting for the test");
            await self().Release.Task;
            return Results.Ok();
        });
        app.MapGet("/echo/{n:int}", async (HttpContext c, int n) =>
        {
            await Task.Yield();
            Serilog(c).ForContext(LogTraceProperties.EventName, "echo").Information("Echo {N}", n);
            await Task.Delay(n % 7);
            return Results.Text(n.ToString(System.Globalization.CultureInfo.InvariantCulture));
        });
        app.MapGet("/login", (HttpContext c) =>
        {
            Serilog(c).ForContext(LogTraceProperties.EventName, "user.login").ForContext(LogTraceProperties.UserName, "jane_doe")
                .Information("User signed in");
            return Results.Ok();
        });
        app.MapGet("/background", (HttpContext c) =>
        {
            var log = Serilog(c);
            // Outlives the request: runs after the response was sent.
            _ = Task.Run(async () =>
            {
                await Task.Delay(200);
                log.ForContext(LogTraceProperties.EventName, "background.finished").Information("Background work finished");
            });
            return Results.Accepted();
        });
        app.MapGet("/after-completion", (HttpContext c) =>
        {
            var log = Serilog(c);
            var request = (RequestState)LogTraceRequestContext.Current!;
            // Logs only once the response has completed: the request's HttpContext is gone by then.
            _ = Task.Run(async () =>
            {
                await request.Completed;
                log.ForContext(LogTraceProperties.EventName, "after.completion").Information("Logged after the response");
            });
            return Results.Accepted();
        });
        app.MapGet("/worker", (HttpContext c) =>
        {
            // The first resolution of the singleton happens inside this request, so its loop inherits the request.
            c.RequestServices.GetRequiredService<BackgroundWorker>();
            return Results.Ok();
        });
        app.MapGet("/abandoned", async (HttpContext c) =>
        {
            Logger(c).RecordEvent("abandoned.request", "Started work the client walked away from");
            self().HandlerStarted.TrySetResult();
            await Task.Delay(Timeout.Infinite, c.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            throw new InvalidOperationException("Failed after the client left");
        });
        app.MapGet("/plain", (HttpContext c) =>
        {
            Serilog(c).ForContext(LogTraceProperties.EventName, "plain.event").Information("Plain");
            return Results.Ok();
        });
    }

    public async Task<IReadOnlyList<CollectorRequest>> EventsAsync(int count)
    {
        await Eventually.TrueAsync(() => Collector.Store.Events.Count >= count, count + " events reach the collector");
        return Collector.Store.Events;
    }

    public async Task<IReadOnlyList<CollectorRequest>> RecordsAsync(int count)
    {
        await Eventually.TrueAsync(() => Collector.Store.Records.Count >= count, count + " records reach the collector");
        return Collector.Store.Records;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_logger != null)
            await _logger.DisposeAsync();
        await Collector.DisposeAsync();
    }

    // Signs a request in as the user named in X-Test-User ("id:name"), the way a cookie or bearer scheme would.
    sealed class HeaderAuthenticationHandler : AuthenticationHandler<AuthenticationSchemeOptions>
    {
        public HeaderAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
            : base(options, logger, encoder)
        {
        }

        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var value = Request.Headers[UserHeader].ToString();
            if (value.Length == 0)
                return Task.FromResult(AuthenticateResult.NoResult());
            var parts = value.Split(':');
            var identity = new ClaimsIdentity(new[] { new Claim("sub", parts[0]), new Claim("name", parts[1]) }, "Test");
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), "Test")));
        }
    }
}
