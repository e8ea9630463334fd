using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using LogTrace.Collector;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Serilog.Sinks.LogTrace.AspNetCore;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.HealthChecks;

// /health of a real ASP.NET Core app on Kestrel, whose Serilog (AddSerilog, no other wiring) writes to a
// LogTrace-compatible collector that accepts, refuses, or is not there.
public class HealthEndpointTests
{
    sealed class HealthApp : IAsyncDisposable
    {
        readonly WebApplication _app;

        HealthApp(WebApplication app)
        {
            _app = app;
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            Client = new HttpClient { BaseAddress = new Uri(address) };
        }

        public HttpClient Client { get; }

        public static async Task<HealthApp> StartAsync(string endpoint, string apiKey, Action<LogTraceSinkOptions>? configure = null)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            builder.Services.AddLogTraceHttpContext();
            builder.Services.AddSerilog(lc => lc.WriteTo.LogTrace(o =>
            {
                o.ApiKey = apiKey;
                o.Endpoint = endpoint;
                o.Period = TimeSpan.FromMilliseconds(20);
                configure?.Invoke(o);
            }));
            // Other tests' sinks live in this process too: this app checks its own.
            builder.Services.AddHealthChecks().AddLogTrace(o => o.Endpoint = endpoint);
            var app = builder.Build();
            app.UseLogTraceHttpContext();
            app.MapHealthChecks("/health", new HealthCheckOptions
            {
                ResponseWriter = (context, report) =>
                {
                    context.Response.ContentType = "application/json";
                    var entry = report.Entries["logtrace"];
                    return context.Response.WriteAsync(JsonSerializer.Serialize(new { status = entry.Status.ToString(), description = entry.Description }));
                },
            });
            app.MapPost("/sign-in", (Serilog.ILogger log) =>
            {
                log.ForContext("EventName", "user.login").ForContext("UserId", "u-1").Information("Signed in");
                return Results.Ok();
            });
            await app.StartAsync();
            return new HealthApp(app);
        }

        public async Task<(HttpStatusCode Code, string Status, string Description)> HealthAsync()
        {
            using var response = await Client.GetAsync("/health");
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return (response.StatusCode, json.RootElement.GetProperty("status").GetString()!, json.RootElement.GetProperty("description").GetString()!);
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    static LogTraceSinkStatus Mine(string endpoint) => LogTraceStatus.GetSinks().Single(s => s.Endpoint == endpoint);

    [Fact]
    public async Task AServiceThatAcceptsIsHealthy()
    {
        await using var collector = await CollectorHelpers.StartAsync();
        await using var app = await HealthApp.StartAsync(collector.DevelopersEndpoint, CollectorHelpers.ApiKey);

        var before = await app.HealthAsync();
        Assert.Equal((HttpStatusCode.OK, "Healthy"), (before.Code, before.Status));
        Assert.Equal("1 LogTrace sink delivering: 0 records sent, 0 waiting.", before.Description);

        (await app.Client.PostAsync("/sign-in", null)).EnsureSuccessStatusCode();
        await Eventually.TrueAsync(() => Mine(collector.DevelopersEndpoint).Sent == 1, "the event is delivered");
        var after = await app.HealthAsync();
        Assert.Equal((HttpStatusCode.OK, "Healthy"), (after.Code, after.Status));
        Assert.Equal("1 LogTrace sink delivering: 1 records sent, 0 waiting.", after.Description);
    }

    [Fact]
    public async Task AServiceThatRefusesTheKeyIsUnhealthyAndSaysSo()
    {
        await using var collector = await CollectorHelpers.StartAsync();
        const string wrongKey = "lg_wrong0123456789abcdef0123456789ab";
        await using var app = await HealthApp.StartAsync(collector.DevelopersEndpoint, wrongKey);

        (await app.Client.PostAsync("/sign-in", null)).EnsureSuccessStatusCode();
        await Eventually.TrueAsync(() => Mine(collector.DevelopersEndpoint).Routes[0].LastStatusCode == 401, "the service refused the key");

        var health = await app.HealthAsync();
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy"), (health.Code, health.Status));
        Assert.StartsWith("The LogTrace service refused the configuration at POST " + collector.DevelopersEndpoint + "/events: status 401", health.Description);
        Assert.Contains("check the API key", health.Description);
        Assert.DoesNotContain(wrongKey, health.Description);
    }

    [Fact]
    public async Task AServiceThatIsDownIsDegradedOnceTheOldestRecordIsOlderThanTheThreshold()
    {
        var endpoint = "http://127.0.0.1:" + UnusedPort() + "/v1/developers";
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var app = await HealthApp.StartAsync(endpoint, CollectorHelpers.ApiKey, o =>
        {
            o.TimeProvider = time;
            o.RetryTimeLimit = TimeSpan.FromHours(1);
        });
        try
        {
            (await app.Client.PostAsync("/sign-in", null)).EnsureSuccessStatusCode();
            await Eventually.TrueAsync(() => Mine(endpoint).OldestUndeliveredAge != null, "the event waits to be delivered");
            Assert.Equal("Healthy", (await app.HealthAsync()).Status);

            time.Advance(TimeSpan.FromMinutes(11));
            var health = await app.HealthAsync();
            Assert.Equal((HttpStatusCode.OK, "Degraded"), (health.Code, health.Status));
            Assert.StartsWith("The oldest undelivered LogTrace record was logged 1", health.Description);
            Assert.EndsWith("min ago, more than 10 min: delivery is falling behind.", health.Description);
        }
        finally
        {
            // The sink's shutdown deadline runs on the fake clock: it is moved on while the app stops.
            var stopping = app.DisposeAsync().AsTask();
            while (!stopping.IsCompleted)
            {
                time.Advance(TimeSpan.FromSeconds(5));
                await Task.WhenAny(stopping, Task.Delay(10));
            }
            await stopping;
        }
    }

    [Fact]
    public async Task AWorkerServiceFindsItsSinkThroughTheGenericHost()
    {
        await using var collector = await CollectorHelpers.StartAsync();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSerilog(lc => lc.WriteTo.LogTrace(CollectorHelpers.ApiKey, endpoint: collector.DevelopersEndpoint));
        builder.Services.AddHealthChecks().AddLogTrace(o => o.Endpoint = collector.DevelopersEndpoint, failureStatus: HealthStatus.Degraded);
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
            Assert.Equal(HealthStatus.Healthy, report.Entries["logtrace"].Status);
            Assert.Equal(1, report.Entries["logtrace"].Data["sinks"]);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task TheFailureStatusReplacesUnhealthy()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddHealthChecks().AddLogTrace(o => o.Endpoint = "https://nowhere.example/v1/developers", failureStatus: HealthStatus.Degraded);
        using var host = builder.Build();
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Degraded, report.Entries["logtrace"].Status);
        Assert.Equal("No LogTrace sink in this process posts to https://nowhere.example/v1/developers.", report.Entries["logtrace"].Description);
    }

    static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
