using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Security;

// A folder the user made readable by others is theirs: the sink says so and leaves its mode alone. (Not in the
// netstandard2.0 leg: that build cannot read a mode without stat(2), and says nothing.)
[Collection(SelfLogCollection.Name)]
public class OpenBufferFolderTests
{
    [Fact]
    public async Task AnExistingFolderOthersCanReadIsSaidAndLeftAsItIs()
    {
        if (OperatingSystem.IsWindows())
            return;
        using var temp = new TempFolder();
        const UnixFileMode open = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
            UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        System.IO.File.SetUnixFileMode(temp.Path, open);
        using var selfLog = new SelfLogCollector();

        await using (new BufferHarness(temp.Path, new CollectingLogTraceApi()))
        {
        }

        Assert.Equal(open, System.IO.File.GetUnixFileMode(temp.Path));
        var line = Assert.Single(selfLog.Lines, l => l.Contains("can be read by other users"));
        Assert.Contains("(mode 755)", line);
        Assert.Contains(temp.Path, line);
    }

    [Fact]
    public async Task AnOwnerOnlyFolderIsNotSaid()
    {
        if (OperatingSystem.IsWindows())
            return;
        using var temp = new TempFolder();
        System.IO.File.SetUnixFileMode(temp.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using var selfLog = new SelfLogCollector();

        await using (new BufferHarness(temp.Path, new CollectingLogTraceApi()))
        {
        }

        Assert.DoesNotContain(selfLog.Lines, l => l.Contains("can be read by other users"));
    }
}
