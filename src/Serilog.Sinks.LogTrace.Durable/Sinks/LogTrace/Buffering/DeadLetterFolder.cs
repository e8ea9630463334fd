using System;
using System.Globalization;
using System.IO;
using System.Threading;

namespace Serilog.Sinks.LogTrace.Buffering;

// Where the durable buffer moves what must never be sent but should not vanish either: records the service
// rejected for good (400-class), records that failed their checksum, and a store file that could not be opened.
// One file per record, named after when, which record and why, holding the bytes as they were, so it can be read,
// fixed and replayed by hand. Its size is capped on its own: past the cap a record is counted and reported, not kept.
sealed class DeadLetterFolder
{
    internal const string FolderName = "dead-letter";

    readonly string _path;
    readonly long _limitBytes;
    readonly TimeProvider _time;
    long _bytes;

    public DeadLetterFolder(string bufferFolder, long limitBytes, TimeProvider time)
    {
        _path = System.IO.Path.Combine(bufferFolder, FolderName);
        _limitBytes = limitBytes;
        _time = time;
        if (Directory.Exists(_path))
        {
            // Records only: a whole store moved aside is not capped, and must not use up the records' room.
            foreach (var file in new DirectoryInfo(_path).EnumerateFiles("*.json"))
                _bytes += file.Length;
        }
    }

    public string Path => _path;

    public long LimitBytes => _limitBytes;

    public long Bytes => Interlocked.Read(ref _bytes);

    // The file's path, or null when the folder is full (or cannot be written): the caller counts the loss either way.
    public string? TryWrite(long id, string reason, byte[] body)
    {
        if (Interlocked.Add(ref _bytes, body.Length) > _limitBytes)
        {
            Interlocked.Add(ref _bytes, -body.Length);
            return null;
        }
        var name = string.Format(CultureInfo.InvariantCulture, "{0:yyyyMMdd'T'HHmmssfff}-{1}-{2}.json", _time.GetUtcNow().UtcDateTime, id, reason);
        var file = System.IO.Path.Combine(_path, name);
        try
        {
            OwnerOnly.CreateFolder(_path, warnIfOpen: false);
            using (var stream = OwnerOnly.Open(file, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                stream.Write(body, 0, body.Length);
            return file;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Interlocked.Add(ref _bytes, -body.Length);
            return null;
        }
    }

    // Moves a whole file aside (a store that cannot be opened); true when it was moved. Not capped: it holds what
    // the buffer held, and deleting it would lose that.
    public bool TryMoveIn(string file, string reason)
    {
        var name = string.Format(CultureInfo.InvariantCulture, "{0:yyyyMMdd'T'HHmmssfff}-{1}-{2}", _time.GetUtcNow().UtcDateTime, reason,
            System.IO.Path.GetFileName(file));
        try
        {
            OwnerOnly.CreateFolder(_path, warnIfOpen: false);
            File.Move(file, System.IO.Path.Combine(_path, name));
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
