using Serilog.Sinks.LogTrace.AspNetCore;
using Serilog.Sinks.LogTrace.Tests.Support;
using static Serilog.Sinks.LogTrace.Tests.AspNetCore.EventJson;

namespace Serilog.Sinks.LogTrace.Tests.AspNetCore;

// ip_address from the connection, and from forwarding headers when the application trusts them.
public class ClientAddressTests
{
    [Theory]
    [InlineData("203.0.113.9", "203.0.113.9")]
    [InlineData(" 203.0.113.9 ", "203.0.113.9")]
    [InlineData("203.0.113.9:8080", "203.0.113.9")]
    [InlineData("0.0.0.0", "0.0.0.0")]
    [InlineData("255.255.255.255", "255.255.255.255")]
    [InlineData("2001:db8::1", "2001:db8::1")]
    [InlineData("[2001:db8::1]", "2001:db8::1")]
    [InlineData("[2001:db8::1]:443", "2001:db8::1")]
    [InlineData("fe80::1%eth0", "fe80::1")]
    [InlineData("fe80::1%25", "fe80::1")]
    [InlineData("[fe80::1%en0.5_a-b]:80", "fe80::1")]
    [InlineData("::ffff:203.0.113.9", "203.0.113.9")]
    public void ForwardedAddressesInTheFormsProxiesWriteAreRead(string header, string expected)
    {
        Assert.True(ClientIpResolver.TryParseForwarded(header, out var address));
        Assert.Equal(expected, ClientIpResolver.Format(address));
    }

    [Theory]
    [InlineData("999")]
    [InlineData("0")]
    [InlineData("1.2")]
    [InlineData("1.2.3")]
    [InlineData("1.2.3.4.5")]
    [InlineData("256.1.1.1")]
    [InlineData("010.0.0.1")]
    [InlineData("0x7f.0.0.1")]
    [InlineData("1.2.3.4:")]
    [InlineData("1.2.3.4:http")]
    [InlineData("1.2.3.4:1234567")]
    [InlineData("[1.2.3.4]")]
    [InlineData("[2001:db8::1")]
    [InlineData("[2001:db8::1]443")]
    [InlineData("2001:db8::1:443:x")]
    [InlineData("unknown")]
    [InlineData("_hidden")]
    [InlineData("")]
    [InlineData("1.2.3.-4")]
    // Found by a review: IPAddress.TryParse takes any text after '%' as a zone.
    [InlineData("2001:db8::1% DROP TABLE users")]
    [InlineData("::ffff:203.0.113.9%anything at all")]
    [InlineData("2001:db8::1%")]
    [InlineData("[2001:db8::1%a b]:443")]
    public void WhatIsNotAnAddressIsSkipped(string header) =>
        Assert.False(ClientIpResolver.TryParseForwarded(header, out _));

    [Fact]
    public async Task TrustedForwardingHeadersGiveAddressesWithPortsAndSkipNumbers()
    {
        await using var app = await TestWebApp.StartAsync(o => o.TrustForwardingHeaders = true);
        var sent = new[] { "999", "203.0.113.9:8080", "[2001:db8::1]:443, 10.0.0.1" };

        foreach (var forwarded in sent)
        {
            var before = app.Collector.Store.Events.Count;
            using var request = new HttpRequestMessage(HttpMethod.Post, "/invoices");
            request.Headers.Add("X-Forwarded-For", forwarded);
            (await app.Client.SendAsync(request)).Dispose();
            await Eventually.TrueAsync(() => app.Collector.Store.Events.Count == before + 1, "the event for " + forwarded + " arrives");
        }

        var ips = (await app.EventsAsync(3)).Select(e => Text(Details(e), "ip_address")).ToArray();
        Assert.Equal(new[] { "127.0.0.1", "203.0.113.9", "2001:db8::1" }, ips);
    }

    [Fact]
    public async Task AnIPv6ClientIsSentAsItsIPv6Address()
    {
        await using var app = await TestWebApp.StartAsync(url: "http://[::1]:0");

        (await app.Client.PostAsync("/invoices", null)).Dispose();

        Assert.Equal("::1", Text(Details(Assert.Single(await app.EventsAsync(1))), "ip_address"));
    }
}
