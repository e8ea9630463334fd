using Serilog.Sinks.LogTrace.Tests.Support;
using static Serilog.Sinks.LogTrace.Tests.AspNetCore.EventJson;

namespace Serilog.Sinks.LogTrace.Tests.AspNetCore;

// What events logged around a request's end carry, through Kestrel into the collector.
public class RequestLifetimeTests
{
    [Fact]
    public async Task AnExceptionThatEscapesBeforeTheResponseStartedIsA500EvenWhenTheServerWroteNoResponse()
    {
        await using var app = await TestWebApp.StartAsync();
        using var leave = new CancellationTokenSource();

        // The client walks away; the handler then fails. Kestrel sends nothing to a gone client and leaves the
        // response's status at 200: the request still failed with an unhandled exception.
        var pending = app.Client.GetAsync("/abandoned", leave.Token);
        await app.HandlerStarted.Task.WaitAsync(TimeSpan.FromSeconds(20));
        leave.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);

        var e = Single(await app.EventsAsync(1), "abandoned.request");
        Assert.Equal(500, Details(e).GetProperty("http_status_code").GetInt32());
    }
}
