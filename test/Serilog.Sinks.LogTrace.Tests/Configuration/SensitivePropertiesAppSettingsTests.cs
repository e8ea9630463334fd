using System.Text;
using Microsoft.Extensions.Configuration;
using static Serilog.Sinks.LogTrace.Tests.Support.CollectorHelpers;

namespace Serilog.Sinks.LogTrace.Tests.Configuration;

// A sink's own sensitive names from appsettings.json: a JSON string array bound to WriteTo.LogTrace's
// sensitiveProperties argument by Serilog.Settings.Configuration.
public class SensitivePropertiesAppSettingsTests
{
    static IConfiguration Json(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();

    [Fact]
    public async Task NamesFromAppSettingsAreRedactedAtAnyDepth()
    {
        await using var collector = await StartAsync();
        var configuration = Json($$"""
            {
              "Serilog": {
                "Using": [ "Serilog.Sinks.LogTrace" ],
                "WriteTo": [
                  {
                    "Name": "LogTrace",
                    "Args": {
                      "apiKey": "{{ApiKey}}",
                      "endpoint": "{{collector.DevelopersEndpoint}}",
                      "sensitiveProperties": [ "TaxId", "date_of_birth" ]
                    }
                  }
                ]
              }
            }
            """);

        using (var logger = new LoggerConfiguration().ReadFrom.Configuration(configuration).CreateLogger())
        {
            logger.ForContext(LogTraceProperties.AuditLogName, "customer.updated").ForContext(LogTraceProperties.UserId, "u-42")
                .Information("Customer {TaxId} updated; was {@Before}", "DE123456789",
                    new { Name = "Contoso", TaxId = "DE987654321", DateOfBirth = "1970-01-01", Password = "hunter2-0001" });
        }

        var request = Assert.Single(collector.Store.Requests);
        Assert.Equal(202, request.Status);
        var text = request.Json().GetRawText();
        Assert.DoesNotContain("DE123456789", text);
        Assert.DoesNotContain("DE987654321", text);
        Assert.DoesNotContain("1970-01-01", text);
        Assert.DoesNotContain("hunter2", text);
        var before = request.Json().GetProperty("metadata").GetProperty("Before");
        Assert.Equal(LogTraceRedaction.Marker, before.GetProperty("DateOfBirth").GetString());
        Assert.Equal("Contoso", before.GetProperty("Name").GetString());
        // The sink's names are its own: the process-wide list is unchanged.
        Assert.False(LogTraceRedaction.IsSensitiveProperty("TaxId"));
    }

    [Fact]
    public async Task TheOptionsOverloadTakesTheSameNames()
    {
        await using var collector = await StartAsync();
        using (var logger = new LoggerConfiguration()
            .WriteTo.LogTrace(o =>
            {
                o.ApiKey = ApiKey;
                o.Endpoint = collector.DevelopersEndpoint;
                o.SensitiveProperties.Add("Iban");
            })
            .CreateLogger())
        {
            logger.ForContext(LogTraceProperties.EventName, "payout.requested").ForContext(LogTraceProperties.UserId, "u-42")
                .Information("Payout to {@Account}", new { Iban = "DE89370400440532013000", Holder = "Jane" });
        }

        var request = Assert.Single(collector.Store.Requests);
        Assert.DoesNotContain("DE8937", request.Json().GetRawText());
        Assert.Equal("Jane", request.Json().GetProperty("metadata").GetProperty("Account").GetProperty("Holder").GetString());
    }

    [Fact]
    public void ANullListIsNoList()
    {
        var settings = Support.TestSettings.Create(o => o.SensitiveProperties = null!);
        Assert.Empty(settings.Options.SensitiveProperties);
    }

    [Fact]
    public void TheSinkKeepsACopyOfTheNames()
    {
        var names = new List<string> { "Iban" };
        var settings = Support.TestSettings.Create(o => o.SensitiveProperties = names);
        names.Add("Later");
        Assert.Equal(new[] { "Iban" }, settings.Options.SensitiveProperties);
    }
}
