using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;

namespace Serilog.Sinks.LogTrace.Testing.Internal;

// The requests the server answered, in memory, in arrival order; waiters are woken on each change. Bounded, so a
// collector left running (or a client that floods it) cannot take the machine's memory: at most maxKept requests and
// about maxKeptBytes of their bodies; the oldest go first, and are counted.
internal sealed class RequestStore
{
    // About 256 MiB of bodies: their text (UTF-16) and their parsed copy.
    internal const long DefaultMaxKeptBytes = 256L * 1024 * 1024;

    readonly List<LogTraceRequest> _requests = new();
    readonly int _maxKept;
    readonly long _maxKeptBytes;
    TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    long _nextId;
    long _keptBytes;
    long _dropped;

    public RequestStore(int maxKept = LogTraceTestServerOptions.DefaultMaxKeptRequests, long maxKeptBytes = DefaultMaxKeptBytes)
    {
        _maxKept = maxKept;
        _maxKeptBytes = maxKeptBytes;
    }

    public int MaxKept => _maxKept;

    // The oldest requests let go to stay within the bounds, since the last Clear.
    public long Dropped
    {
        get
        {
            lock (_requests)
                return _dropped;
        }
    }

    // Bumped by Clear: the page starts its list again when it changes.
    public int Epoch { get; private set; }

    // Numbered under the lock as it is added, so ids rise in the list's order: the page asks for what came after the
    // last id it has, and an id taken before a later one was added would never be shown.
    public void Add(LogTraceRequest request)
    {
        TaskCompletionSource changed;
        lock (_requests)
        {
            request.Id = ++_nextId;
            _requests.Add(request);
            _keptBytes += request.Size;
            // The newest request is always kept, however large.
            var drop = 0;
            var bytes = _keptBytes;
            while (_requests.Count - drop > 1 && (_requests.Count - drop > _maxKept || bytes > _maxKeptBytes))
                bytes -= _requests[drop++].Size;
            if (drop > 0)
            {
                _requests.RemoveRange(0, drop);
                _keptBytes = bytes;
                _dropped += drop;
            }
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }

    // A task that completes at the next change.
    public Task Changed
    {
        get
        {
            lock (_requests)
                return _changed.Task;
        }
    }

    public IReadOnlyList<LogTraceRequest> Requests
    {
        get
        {
            lock (_requests)
                return _requests.ToArray();
        }
    }

    public (int Epoch, long Dropped, IReadOnlyList<LogTraceRequest> Requests) Snapshot()
    {
        lock (_requests)
            return (Epoch, _dropped, _requests.ToArray());
    }

    public IReadOnlyList<LogTraceRecord> Records => Requests.Where(r => r.Accepted).Select(r => new LogTraceRecord(r)).ToArray();

    public IReadOnlyList<LogTraceRequest> Accepted(params LogTraceRecordKind[] kinds) =>
        Requests.Where(r => r.Accepted && kinds.Contains(r.Kind!.Value)).ToArray();

    public void Clear()
    {
        TaskCompletionSource changed;
        lock (_requests)
        {
            _requests.Clear();
            _keptBytes = 0;
            _dropped = 0;
            Epoch++;
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }
}
