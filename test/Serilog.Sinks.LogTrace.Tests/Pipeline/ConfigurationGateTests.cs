using Microsoft.Extensions.Time.Testing;
using Serilog.Sinks.LogTrace.Sending;

namespace Serilog.Sinks.LogTrace.Tests.Pipeline;

// How long the configuration gate stays closed, as the senders and the status read it.
public class ConfigurationGateTests
{
    [Fact]
    public void TheTimeLeftCountsDownToZeroAndNeverBelow()
    {
        var time = new FakeTimeProvider();
        var gate = new ConfigurationGate(time);
        Assert.Equal(TimeSpan.Zero, gate.Remaining());

        Assert.True(gate.Close("status 401"));
        Assert.Equal(ConfigurationGate.RecheckInterval, gate.Remaining());
        Assert.Equal("status 401", gate.Refusal());
        time.Advance(TimeSpan.FromSeconds(45));
        Assert.Equal(TimeSpan.FromSeconds(15), gate.Remaining());
        time.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(TimeSpan.Zero, gate.Remaining());
        Assert.Null(gate.Refusal());
    }
}
