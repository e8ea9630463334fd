using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;

namespace Serilog.Sinks.LogTrace.Testing.Internal;

// Every request the server answered, in memory, in arrival order; waiters are woken on each change.
internal sealed class RequestStore
{
    readonly List<LogTraceRequest> _requests = new();
    TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    long _nextId;

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

    public (int Epoch, IReadOnlyList<LogTraceRequest> Requests) Snapshot()
    {
        lock (_requests)
            return (Epoch, _requests.ToArray());
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
            Epoch++;
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }
}
