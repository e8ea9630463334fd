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

        state.Enrich(logged);
        Assert.True(state.HoldsContext);
        Assert.False(state.Completed.IsCompleted);
        await RequestState.CompleteCallback(state);

        Assert.False(state.HoldsContext);
        Assert.True(state.Completed.IsCompleted);
        Assert.Equal(204, state.StatusCode);
        // An event logged afterwards (work that outlived the request) gets the copied values.
        var later = Some.Event("api_key.revoked");
        state.Enrich(later);
        Assert.Equal("\"/api-keys/7\"", later.Properties[LogTraceProperties.RequestPath].ToString());
        Assert.Equal("\"DELETE\"", later.Properties[LogTraceProperties.RequestMethod].ToString());
    }
}
