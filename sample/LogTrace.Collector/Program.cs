using LogTrace.Collector;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

// Runs the collector on its own: dotnet run --project sample/LogTrace.Collector [--urls http://127.0.0.1:5080]
// Settings come from the "Collector" section (appsettings.json, Collector__RateLimit=..., --Collector:RateLimitEnabled=false).
var builder = WebApplication.CreateSlimBuilder(args);
if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
    builder.WebHost.UseUrls("http://127.0.0.1:5080");

var options = new CollectorOptions();
builder.Configuration.GetSection("Collector").Bind(options);

var app = builder.Build();
LogTraceCollector.Map(app, options);
app.Run();
