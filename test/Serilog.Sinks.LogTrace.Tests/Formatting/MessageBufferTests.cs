using Serilog.Sinks.LogTrace.Records;

namespace Serilog.Sinks.LogTrace.Tests.Formatting;

// The reusable writer the rendered message goes into (one per sender).
public class MessageBufferTests
{
    [Fact]
    public void EveryWayOfWritingAppendsInOrderAndGrowsPastTheFirstBuffer()
    {
        using var buffer = new MessageBuffer();
        var expected = new System.Text.StringBuilder();
        for (var i = 0; i < 300; i++)
        {
            buffer.Write('a');
            buffer.Write("bc");
            buffer.Write(new[] { 'x', 'd', 'e', 'y' }, 1, 2);
#if !LOGTRACE_NETSTANDARD_LEG
            buffer.Write("fg".AsSpan());
            expected.Append("abcdefg");
#else
            expected.Append("abcde");
#endif
        }
        buffer.Write((string?)null);
        Assert.Equal(expected.ToString(), buffer.Written.ToString());
        Assert.True(buffer.Capacity >= expected.Length);
    }

    [Fact]
    public void ClearEmptiesItAndKeepsAnOrdinaryBuffer()
    {
        using var buffer = new MessageBuffer();
        buffer.Write(new string('m', 1_000));
        var capacity = buffer.Capacity;
        buffer.Clear();
        Assert.Equal(0, buffer.Written.Length);
        Assert.Equal(capacity, buffer.Capacity);
        buffer.Write("next");
        Assert.Equal("next", buffer.Written.ToString());
    }

    [Fact]
    public void ABufferGrownForOneVeryLongMessageIsGivenBackAtTheNextClear()
    {
        using var buffer = new MessageBuffer();
        buffer.Write(new string('m', 100_000));
        Assert.True(buffer.Capacity >= 100_000);
        buffer.Clear();
        Assert.True(buffer.Capacity <= 32 * 1024, "kept " + buffer.Capacity);
        buffer.Write("after");
        Assert.Equal("after", buffer.Written.ToString());
    }

    [Fact]
    public void DisposingTwiceIsHarmlessAndLeavesItEmpty()
    {
        var buffer = new MessageBuffer();
        buffer.Write("secret text");
        buffer.Dispose();
        buffer.Dispose();
        Assert.Equal(0, buffer.Written.Length);
    }
}
