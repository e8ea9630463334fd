using System.IO;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Buffering;

namespace Serilog.Sinks.LogTrace.Durable;

// How a salvaged copy of a damaged store (StoreSalvage) takes the store's place, and what is done at open with what a
// run killed part-way through that left behind. The order of the moves is what makes each leftover unambiguous:
// SqliteEventStore moves the damaged file and then its -wal and -shm aside; Take moves the copy and then its -wal in;
// StoreSalvage.DeleteFile removes a copy's -wal before the copy.
sealed class SalvagePlacement
{
    readonly string _folder;
    readonly string _file;
    readonly string _salvageFile;
    readonly DeadLetterFolder _deadLetters;

    public SalvagePlacement(string folder, string file, string salvageFile, DeadLetterFolder deadLetters)
    {
        _folder = folder;
        _file = file;
        _salvageFile = salvageFile;
        _deadLetters = deadLetters;
    }

    // The salvaged copy becomes the store (its -wal with it, should its close have left one).
    public void Take()
    {
        Move(_salvageFile, _file, "its salvaged copy " + _salvageFile + " could not take the store's place");
        if (File.Exists(_salvageFile + "-wal"))
            Move(_salvageFile + "-wal", _file + "-wal", "its salvaged copy's " + Path.GetFileName(_salvageFile) + "-wal could not follow it");
    }

    // A move that fails (a folder or a locked file in the way, no permission) fails the logger's creation naming the
    // folder and what could not be done, instead of a bare IOException; the files stay where they were, so the next
    // start finds the same state and tries again.
    void Move(string from, string to, string problem)
    {
        try
        {
            File.Move(from, to);
        }
        catch (System.Exception ex) when (ex is IOException or System.UnauthorizedAccessException)
        {
            throw BufferLock.Unusable(_folder, problem, ex);
        }
    }

    // A file of the store's that must not stay where it is goes to the dead letters, or the store is not opened: the
    // logger's creation fails, naming the folder and the problem (cause: why, when known; else the move that failed).
    public void MoveAside(string part, string problem, System.Exception? cause = null)
    {
        if (File.Exists(part) && !_deadLetters.TryMoveIn(part, "unreadable"))
            throw BufferLock.Unusable(_folder, problem, cause ?? new IOException("could not move " + part));
    }

    // Before the store is opened. Each case is said, since the run that found the damage may have ended before it
    // could say anything.
    public void TakeWhatAnEarlierRunLeft()
    {
        if (!File.Exists(_file) && File.Exists(_salvageFile))
            TakeCopyLeftBehind();
        else if (File.Exists(_salvageFile + "-wal") && !File.Exists(_salvageFile))
            TakeWalLeftBehind();
    }

    // Killed between moving the damaged file aside and moving the copy in: the copy is complete (it is written before
    // the damaged file moves). A -wal or -shm still at the store's name belongs to the damaged file (killed between
    // its moves): SQLite would apply that -wal to the copy, whose pages it does not describe, so it goes aside too.
    void TakeCopyLeftBehind()
    {
        foreach (var part in new[] { _file + "-wal", _file + "-shm" })
            MoveAside(part, "what is left of its damaged store (" + Path.GetFileName(part) + ") could not be moved aside");
        QuietSelfLog.WriteLine("LogTrace: the durable buffer at {0} holds a copy of its damaged store ({1}) made by an earlier run that ended " +
            "before the copy took the store's place; it takes it now, and its records are delivered. The damaged file is in {2}; the records " +
            "the damage cost were counted by that run if it got that far, and are not known to this one", _folder, _salvageFile, _deadLetters.Path);
        Take();
    }

    // Killed inside Take, between its two moves: the copy is the store already, and its -wal (records the copy's close
    // could not checkpoint) still has the copy's name. It follows the store now. A store with a -wal of its own, or no
    // store at all, cannot have come from Take: the stray -wal then goes to the dead letters, not into a store whose
    // pages it does not describe.
    void TakeWalLeftBehind()
    {
        var stray = _salvageFile + "-wal";
        if (!File.Exists(_file) || File.Exists(_file + "-wal"))
        {
            MoveAside(stray, "a stray " + Path.GetFileName(stray) + " could not be moved aside");
            QuietSelfLog.WriteLine("LogTrace: the durable buffer at {0} held a {1} that belongs to no store; it was moved to {2}", _folder,
                Path.GetFileName(stray), _deadLetters.Path);
            return;
        }
        Move(stray, _file + "-wal", "its salvaged copy's " + Path.GetFileName(stray) + " could not follow it");
        QuietSelfLog.WriteLine("LogTrace: the durable buffer at {0} holds the copy of its damaged store that an earlier run put in the store's " +
            "place, but that run ended before the copy's {1} followed it; it follows now, and the records in it are delivered", _folder,
            Path.GetFileName(stray));
    }
}
