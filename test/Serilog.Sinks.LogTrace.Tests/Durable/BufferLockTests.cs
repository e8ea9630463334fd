using Serilog.Sinks.LogTrace.Buffering;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Durable;

public class BufferLockTests
{
    [Fact]
    public void OneHolderAtATime_AndTheLockIsFreeAgainOnceReleased()
    {
        using var folder = new TempFolder();
        var first = BufferLock.TryAcquire(folder.Path);
        Assert.NotNull(first);
        // The lock is the operating system's (flock): a second handle is refused even within one process.
        Assert.Null(BufferLock.TryAcquire(folder.Path));

        first!.Dispose();
        using var second = BufferLock.TryAcquire(folder.Path);
        Assert.NotNull(second);
    }

    [Fact]
    public void TheFolderIsCreated()
    {
        using var folder = new TempFolder();
        var path = folder.Combine("a", "b", "buffer");
        using var bufferLock = BufferLock.TryAcquire(path);
        Assert.NotNull(bufferLock);
        Assert.True(System.IO.File.Exists(Path.Combine(path, BufferLock.FileName)));
    }

    [Fact]
    public void AFolderThatCannotBeCreatedFailsNamingIt()
    {
        using var folder = new TempFolder();
        System.IO.File.WriteAllText(folder.Combine("a-file"), "not a folder");
        var path = folder.Combine("a-file", "buffer");

        var error = Assert.Throws<ArgumentException>(() => BufferLock.TryAcquire(path));
        Assert.Contains("'" + path + "'", error.Message);
        Assert.Contains("cannot be created", error.Message);
    }
}
