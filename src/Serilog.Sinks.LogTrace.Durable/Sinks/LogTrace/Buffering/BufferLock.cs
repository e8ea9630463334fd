using System;
using System.IO;

namespace Serilog.Sinks.LogTrace.Buffering;

// One process per buffer folder: two writers would interleave or deliver each other's records twice. The lock is an
// exclusive handle on a file in the folder (an advisory flock on Unix, a share-none handle on Windows); the operating
// system releases it when the process ends, however it ends, so a crash never leaves the folder locked.
sealed class BufferLock : IDisposable
{
    internal const string FileName = "buffer.lock";

    readonly FileStream _file;

    BufferLock(FileStream file) => _file = file;

    // The lock, or null when another process holds it. Throws ArgumentException, naming the folder, when the folder
    // cannot be created or written. warnIfOpen: say in SelfLog when others can read the folder (once, at start: not on
    // every retry of a held folder).
    public static BufferLock? TryAcquire(string folder, bool warnIfOpen = true)
    {
        try
        {
            OwnerOnly.CreateFolder(folder, warnIfOpen);
        }
        catch (IOException ex) when (BufferUnavailableException.IsDiskFull(ex))
        {
            throw new BufferUnavailableException("the disk is full", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw Unusable(folder, "the folder cannot be created", ex);
        }

        var path = Path.Combine(folder, FileName);
        try
        {
            return new BufferLock(OwnerOnly.Open(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException ex) when (IsHeldByAnother(ex) && File.Exists(path))
        {
            return null;
        }
        catch (IOException ex) when (BufferUnavailableException.IsDiskFull(ex))
        {
            throw new BufferUnavailableException("the disk is full", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw Unusable(folder, "a file cannot be created in it", ex);
        }
    }

    // A sharing violation (Windows) or a lock held elsewhere (Unix: EWOULDBLOCK from flock, errno 11 on Linux and 35 on
    // macOS and the BSDs); .NET reports both as a plain IOException, told apart from other failures by its HResult.
    internal static bool IsHeldByAnother(IOException ex) =>
        ex.GetType() == typeof(IOException) && ex.HResult is unchecked((int)0x80070020) or unchecked((int)0x80070021) or 11 or 35;

    internal static ArgumentException Unusable(string folder, string what, Exception ex) =>
        new("The LogTrace bufferPath '" + folder + "' cannot be used: " + what + " (" + ex.GetType().Name + ": " + ex.Message +
            "). Use a folder this process can create and write, or leave bufferPath unset.", "bufferPath", ex);

    public void Dispose() => _file.Dispose();
}
