using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using Serilog.Events;
using Serilog.Sinks.LogTrace.AspNetCore;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.AspNetCore;

public class RequestStateTests
{
    [Fact]
    public async Task TheStateLetsGoOfTheHttpContextWhenTheResponseCompletesAndKeepsItsValues()
    {
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Request.Method = "DELETE";
        context.Request.Path = "/api-keys/7";
        context.Response.StatusCode = 204;
        var state = new RequestState(context, new LogTraceHttpContextOptions());
        var logged = Some.Event("api_key.revoked");

        state.AddProperties(logged);
        Assert.True(state.HoldsContext);
        Assert.False(state.Completed.IsCompleted);
        await RequestState.CompleteCallback(state);

        Assert.False(state.HoldsContext);
        Assert.True(state.Completed.IsCompleted);
        Assert.Equal(204, state.StatusCode);
        // An event logged afterwards (work that outlived the request) gets the copied values.
        var later = Some.Event("api_key.revoked");
        state.AddProperties(later);
        Assert.Equal("\"/api-keys/7\"", later.Properties[LogTraceProperties.RequestPath].ToString());
        Assert.Equal("\"DELETE\"", later.Properties[LogTraceProperties.RequestMethod].ToString());
    }

    [Fact]
    public async Task AfterCompletionItsValuesStayAttachedForAttachAfterCompletionAndNoLonger()
    {
        var time = new FakeTimeProvider();
        var options = new LogTraceHttpContextOptions { TimeProvider = time, AttachAfterCompletion = TimeSpan.FromSeconds(30) };
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = "/reports";
        context.Request.Headers["X-Tenant"] = "acme";
        context.User = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            new[] { new System.Security.Claims.Claim("sub", "alice") }, "Test"));
        var state = new RequestState(context, options);
        await RequestState.CompleteCallback(state);

        time.Advance(TimeSpan.FromSeconds(30));
        var within = Some.Event("report.exported", userName: null);
        Assert.True(state.AddProperties(within));
        Assert.Equal("\"alice\"", within.Properties[LogTraceProperties.UserId].ToString());
        Assert.True(within.Properties.ContainsKey(LogTraceProperties.RequestHeaders));

        time.Advance(TimeSpan.FromTicks(1));
        var after = Some.Event("report.exported", userName: null);
        Assert.False(state.AddProperties(after));
        Assert.Equal(new[] { LogTraceProperties.EventName }, after.Properties.Keys);
    }
}
