using Serilog.Sinks.LogTrace.Buffering;
using Serilog.Sinks.LogTrace.Durable;
using Serilog.Sinks.LogTrace.Http;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Durable;

// The buffer holds user ids, session tokens and metadata: on Linux and macOS only the process's user may read what the
// sink creates (both the net8.0+ and the netstandard2.0 builds run these).
[Collection(SelfLogCollection.Name)]
public class OwnerOnlyBufferTests
{
    const UnixFileMode Folder700 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    const UnixFileMode File600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task ANewBufferFolderAndEveryFileTheSinkCreatesAreOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
            return;
        using var temp = new TempFolder();
        var folder = temp.Combine("new", "buffer");
        // Every record is rejected (400), so one goes to the dead-letter folder.
        var api = new CollectingLogTraceApi(_ => Task.FromResult(new LogTraceResponse(400, "bad")));
        await using (var harness = new BufferHarness(folder, api))
        {
            harness.Log(0, 1);
            var deadLetter = Path.Combine(folder, DeadLetterFolder.FolderName);
            await harness.AdvanceUntilAsync(() => Directory.Exists(deadLetter) && Directory.GetFiles(deadLetter).Length == 1, "the rejected record is dead-lettered");

            Assert.Equal(Folder700, System.IO.File.GetUnixFileMode(folder));
            Assert.Equal(Folder700, System.IO.File.GetUnixFileMode(deadLetter));
            Assert.Equal(File600, System.IO.File.GetUnixFileMode(Path.Combine(folder, SqliteEventStore.FileName)));
            Assert.Equal(File600, System.IO.File.GetUnixFileMode(Path.Combine(folder, BufferLock.FileName)));
            Assert.Equal(File600, System.IO.File.GetUnixFileMode(Directory.GetFiles(deadLetter).Single()));
            var wal = Path.Combine(folder, SqliteEventStore.FileName + "-wal");
            if (System.IO.File.Exists(wal))
                Assert.Equal(File600, System.IO.File.GetUnixFileMode(wal));
        }
    }

    [Fact]
    public async Task TheSinksOwnFilesFoundWiderAreNarrowed()
    {
        if (OperatingSystem.IsWindows())
            return;
        using var temp = new TempFolder();
        System.IO.File.SetUnixFileMode(temp.Path, Folder700);
        var store = Path.Combine(temp.Path, SqliteEventStore.FileName);
        var lockFile = Path.Combine(temp.Path, BufferLock.FileName);
        System.IO.File.WriteAllBytes(store, Array.Empty<byte>());
        System.IO.File.WriteAllBytes(lockFile, Array.Empty<byte>());
        System.IO.File.SetUnixFileMode(store, File600 | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        System.IO.File.SetUnixFileMode(lockFile, File600 | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        await using (new BufferHarness(temp.Path, new CollectingLogTraceApi()))
        {
            Assert.Equal(File600, System.IO.File.GetUnixFileMode(store));
            Assert.Equal(File600, System.IO.File.GetUnixFileMode(lockFile));
        }
    }

#if !LOGTRACE_NETSTANDARD_LEG
    // The netstandard2.0 build cannot read a folder's mode (no File.GetUnixFileMode): it does not warn.
    [Fact]
    public async Task AnExistingFolderOthersCanReadIsWarnedAboutAndLeftAsItIs()
    {
        if (OperatingSystem.IsWindows())
            return;
        using var temp = new TempFolder();
        const UnixFileMode folder755 = Folder700 | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        System.IO.File.SetUnixFileMode(temp.Path, folder755);
        using var selfLog = new SelfLogCollector();

        await using (new BufferHarness(temp.Path, new CollectingLogTraceApi()))
        {
            var line = Assert.Single(selfLog.Lines, l => l.Contains("can be read by other users"));
            Assert.Contains("the durable buffer's folder " + temp.Path + " can be read by other users (mode 755); its records hold what the application " +
                "logs (user ids, session tokens, metadata). The sink does not change the mode of a folder it did not create: chmod 700 it, or " +
                "use a folder only this user can read.", line);
            Assert.Equal(folder755, System.IO.File.GetUnixFileMode(temp.Path));
        }
    }
#endif
}
