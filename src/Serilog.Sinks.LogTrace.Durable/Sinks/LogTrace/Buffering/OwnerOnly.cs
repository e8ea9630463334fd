using System;
using System.IO;
using System.Runtime.InteropServices;
using Serilog.Debugging;
using Serilog.Sinks.LogTrace.Accounting;

namespace Serilog.Sinks.LogTrace.Buffering;

// The durable buffer holds what the application logs (user ids, e-mails, session tokens, metadata), so on Linux and
// macOS only the process's user may read it: the folder is created 0700 and every file the sink creates 0600
// (events.db, and its -wal, which SQLite creates with the database's mode; buffer.lock; dead-letter files). An
// existing folder is the user's: its mode is never changed, but one that others can read is said in SelfLog. The
// sink's own files found with wider modes (from an earlier version) are narrowed. On Windows, files inherit the
// folder's access list, and nothing is changed.
//
// The net8.0+ builds create with the mode (no moment when the file is readable); the netstandard2.0 build, when it
// runs on Linux or macOS, creates and then sets the mode with chmod(2).
static class OwnerOnly
{
    const int FolderMode = 0x1C0; // 0700
    const int FileMode600 = 0x180; // 0600
    const int OthersMask = 0x3F;   // group and others: rwx rwx

#if NET8_0_OR_GREATER
    [System.Runtime.Versioning.UnsupportedOSPlatformGuard("windows")]
    static bool IsUnix => !OperatingSystem.IsWindows();
#else
    static readonly bool IsUnix = !RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
#endif

    // Creates the folder (and its parents) owner-only when it does not exist; warnIfOpen: say in SelfLog when an
    // existing one can be read by others.
    public static void CreateFolder(string folder, bool warnIfOpen)
    {
        if (!IsUnix)
        {
            Directory.CreateDirectory(folder);
            return;
        }
        if (Directory.Exists(folder))
        {
            if (warnIfOpen)
                WarnIfOthersCanRead(folder);
            return;
        }
#if NET8_0_OR_GREATER
        Directory.CreateDirectory(folder, (UnixFileMode)FolderMode);
#else
        Directory.CreateDirectory(folder);
        Chmod(folder, FolderMode);
#endif
    }

    // Opens or creates a file; one it creates is owner-only, and one of the sink's own found wider is narrowed.
    public static FileStream Open(string path, FileMode mode, FileAccess access, FileShare share)
    {
        if (!IsUnix)
            return new FileStream(path, mode, access, share);
#if NET8_0_OR_GREATER
        var stream = new FileStream(path, new FileStreamOptions { Mode = mode, Access = access, Share = share, UnixCreateMode = (UnixFileMode)FileMode600 });
#else
        var stream = new FileStream(path, mode, access, share);
#endif
        Narrow(path);
        return stream;
    }

    // A file another library (SQLite) opens: created empty and owner-only first when it does not exist (an empty file
    // is an empty database), narrowed when it does. A path that is a folder, or cannot be created, is left for SQLite
    // to fail on.
    public static void Prepare(string path)
    {
        if (!IsUnix || Directory.Exists(path))
            return;
        try
        {
            if (!File.Exists(path))
                Open(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite).Dispose();
            else
                Narrow(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left to SQLite, whose failure to open the path is the one the sink explains (it names the folder).
        }
    }

    // One of the sink's own files: group and others lose every permission. A file that is gone is not an error.
    public static void Narrow(string path)
    {
        if (!IsUnix || !File.Exists(path))
            return;
#if NET8_0_OR_GREATER
        var mode = File.GetUnixFileMode(path);
        if (((int)mode & OthersMask) != 0)
            File.SetUnixFileMode(path, (UnixFileMode)((int)mode & ~OthersMask));
#else
        Chmod(path, FileMode600);
#endif
    }

    static void WarnIfOthersCanRead(string folder)
    {
#if NET8_0_OR_GREATER
        if (!IsUnix)
            return;
        var mode = (int)File.GetUnixFileMode(folder);
        if ((mode & OthersMask) != 0)
        {
            QuietSelfLog.WriteLine("LogTrace: the durable buffer's folder {0} can be read by other users (mode {1}); its records hold what the application " +
                "logs (user ids, session tokens, metadata). The sink does not change the mode of a folder it did not create: chmod 700 it, or " +
                "use a folder only this user can read.", folder, Convert.ToString(mode & 0x1FF, 8));
        }
#endif
    }

#if !NET8_0_OR_GREATER
    static bool _chmodFailed;

    static void Chmod(string path, int mode)
    {
        try
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? LinuxChmod(path, mode) == 0 : LibcChmod(path, mode) == 0)
                return;
            Report(path, "chmod failed with errno " + Marshal.GetLastWin32Error());
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            Report(path, ex.GetType().Name);
        }
    }

    static void Report(string path, string why)
    {
        if (_chmodFailed)
            return;
        _chmodFailed = true;
        QuietSelfLog.WriteLine("LogTrace: could not make {0} readable by its owner only ({1}); other local users may be able to read the durable buffer.", path, why);
    }

    [DllImport("libc.so.6", EntryPoint = "chmod", SetLastError = true)]
    static extern int LinuxChmod(string path, int mode);

    [DllImport("libc", EntryPoint = "chmod", SetLastError = true)]
    static extern int LibcChmod(string path, int mode);
#endif
}
