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

    [Fact]
    public void TheDeadLetterFolderTakesWhatFitsUnderItsCap_AndARefusedRecordTakesNoRoom()
    {
        using var folder = new TempFolder();
        var deadLetters = new DeadLetterFolder(folder.Path, 100, new Microsoft.Extensions.Time.Testing.FakeTimeProvider());

        Assert.NotNull(deadLetters.TryWrite(1, "rejected", new byte[60]));
        Assert.Null(deadLetters.TryWrite(2, "rejected", new byte[60]));
        Assert.NotNull(deadLetters.TryWrite(3, "corrupt", new byte[40]));
        Assert.Equal(100, deadLetters.Bytes);
        Assert.Null(deadLetters.TryWrite(4, "corrupt", new byte[1]));
        Assert.Equal(new[] { 40L, 60L }, Directory.GetFiles(deadLetters.Path).Select(f => new FileInfo(f).Length).OrderBy(l => l));

        // A new start counts the records already there.
        Assert.Equal(100, new DeadLetterFolder(folder.Path, 100, new Microsoft.Extensions.Time.Testing.FakeTimeProvider()).Bytes);
    }

    [Fact]
    public void TheStorePackageIsFoundAndItsVersionIsTheCorePackages()
    {
        Assert.IsType<Serilog.Sinks.LogTrace.Durable.DurablePipeline>(EventStoreLocator.Locate());
        var core = EventStoreLocator.PackageVersion(typeof(EventStoreLocator).Assembly);
        Assert.DoesNotContain("+", core);
        Assert.NotEmpty(core);
        Assert.Equal(core, EventStoreLocator.PackageVersion(typeof(Serilog.Sinks.LogTrace.Durable.DurablePipeline).Assembly));
    }
}
