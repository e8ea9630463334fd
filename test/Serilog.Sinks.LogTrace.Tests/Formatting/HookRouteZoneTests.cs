using System.Text;
using Serilog.Sinks.LogTrace.Records;
using static Serilog.Sinks.LogTrace.Tests.Support.Some;

namespace Serilog.Sinks.LogTrace.Tests.Formatting;

// The route a before-send hook is shown keeps an IPv6 zone, as the status and the URL posted to do. Found by a review:
// it was RouteOf(...).ToString(), which drops the zone.
public class HookRouteZoneTests
{
    [Fact]
    public void TheHooksRouteKeepsTheZoneAsTheStatusDoes()
    {
        string? route = null;
        var formatter = FormattedBody.Create(o =>
        {
            o.Endpoint = "http://[fe80::1%eth0]:8080/v1/developers";
            o.BeforeSend = r => { route = r.Route; return true; };
        });
        using var buffers = new FormatBuffers();
        Assert.Equal(FormatOutcome.Formatted, formatter.Format(Event("user.login"), buffers, out var kind));
        formatter.BeforeSend!.Run(kind, buffers, out _, out _);

        Assert.Equal("http://[fe80::1%eth0]:8080/v1/developers/events", route);
    }
}
