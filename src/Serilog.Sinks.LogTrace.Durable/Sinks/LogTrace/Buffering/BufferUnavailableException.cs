using System;

namespace Serilog.Sinks.LogTrace.Buffering;

// The buffer's folder is fine but cannot take the buffer now (a full disk): the logger is created all the same and
// delivers from memory, with a SelfLog line, instead of failing the application's start.
sealed class BufferUnavailableException : Exception
{
    public BufferUnavailableException(string message, Exception inner) : base(message, inner)
    {
    }

    // ENOSPC on Unix (28); ERROR_DISK_FULL and ERROR_HANDLE_DISK_FULL on Windows.
    public static bool IsDiskFull(Exception ex) =>
        ex is System.IO.IOException && ex.HResult is 28 or unchecked((int)0x80070070) or unchecked((int)0x80070027);
}
