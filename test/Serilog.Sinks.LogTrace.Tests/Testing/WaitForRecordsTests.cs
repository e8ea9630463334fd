using System.Text;
using Serilog.Sinks.LogTrace.Testing;

namespace Serilog.Sinks.LogTrace.Tests.Testing;

// LogTraceTestServer.WaitForRecordsAsync: its return, its cancellation and the whole of its timeout message.
public class WaitForRecordsTests
{
    static async Task PostAsync(LogTraceTestServer server, string route, string body, string? key = "lg_wait_0123456789")
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, server.Endpoint + route) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (key != null)
            request.Headers.Add("X-API-Key", key);
        using var _ = await client.SendAsync(request);
    }

    [Fact]
    public async Task TheCountAlreadyReachedIsReturnedAtOnceWithEveryRecord()
    {
        await using var server = await LogTraceTestServer.StartAsync();
        await PostAsync(server, "/events", """{"name":"a","username":"u"}""");
        await PostAsync(server, "/events", """{"name":"b","username":"u"}""");

        var one = server.WaitForRecordsAsync(1, TimeSpan.FromSeconds(30));
        var two = server.WaitForRecordsAsync(2, TimeSpan.FromSeconds(30));

        Assert.True(one.IsCompletedSuccessfully);
        Assert.Equal(new[] { "a", "b" }, (await one).Select(r => r.Name));
        Assert.Equal(new[] { "a", "b" }, (await two).Select(r => r.Name));
    }

    [Fact]
    public async Task NothingArrivedNorRefusedIsSaidSo()
    {
        await using var server = await LogTraceTestServer.StartAsync();

        var error = await Assert.ThrowsAsync<TimeoutException>(() => server.WaitForRecordsAsync(1, TimeSpan.FromMilliseconds(100)));

        Assert.Equal("Expected 1 record at " + server.Endpoint + " within 00:00:00.1000000, but 0 arrived. No request was refused.", error.Message);
    }

    [Fact]
    public async Task EveryRecordAndEveryRefusalIsNamedInOrder()
    {
        await using var server = await LogTraceTestServer.StartAsync();
        await PostAsync(server, "/events", """{"name":"a","username":"u"}""");
        await PostAsync(server, "/events", """{"username":"u"}""");
        await PostAsync(server, "/sessions/logout", """{"token":"sess_1"}""");
        await PostAsync(server, "/events", """{"name":"a","username":"u"}""", key: null);

        var error = await Assert.ThrowsAsync<TimeoutException>(() => server.WaitForRecordsAsync(3, TimeSpan.FromMilliseconds(200)));

        Assert.Equal("Expected 3 records at " + server.Endpoint + " within 00:00:00.2000000, but 2 arrived: Event 'a', SignOut. " +
            "2 requests were refused: 400 POST /v1/developers/events: failed to validate request payload: event name is required; " +
            "401 POST /v1/developers/events: please provide an API key in the request header.", error.Message);
    }

    [Fact]
    public async Task TheCallersCancellationIsACancellationNotATimeout()
    {
        await using var server = await LogTraceTestServer.StartAsync();
        using var cancel = new CancellationTokenSource();

        var waiting = server.WaitForRecordsAsync(1, TimeSpan.FromSeconds(30), cancel.Token);
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }

    [Fact]
    public async Task ARefusedRequestDoesNotCountButWakesTheWaiterToLookAgain()
    {
        await using var server = await LogTraceTestServer.StartAsync();
        var waiting = server.WaitForRecordsAsync(1, TimeSpan.FromSeconds(30));

        await PostAsync(server, "/events", """{"username":"u"}""");
        server.Clear();
        Assert.False(waiting.IsCompleted);
        await PostAsync(server, "/audit-logs", """{"name":"a","username":"u"}""");

        Assert.Equal(LogTraceRecordKind.AuditLog, Assert.Single(await waiting).Kind);
    }
}
