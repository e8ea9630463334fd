namespace Serilog.Sinks.LogTrace.Tests.Support;

// Stands in for the durable buffer's write pause (LogTraceSinkOptions.WritePause): each pause asked for is recorded and
// held until the test releases it, or until its token is cancelled, as Task.Delay's would be.
sealed class ScriptedPauses
{
    readonly object _lock = new();
    readonly List<TimeSpan> _asked = [];
    readonly List<TaskCompletionSource> _held = [];

    public IReadOnlyList<TimeSpan> Asked
    {
        get
        {
            lock (_lock)
                return _asked.ToArray();
        }
    }

    public int Count
    {
        get
        {
            lock (_lock)
                return _asked.Count;
        }
    }

    public Task Pause(TimeSpan length, CancellationToken token)
    {
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _asked.Add(length);
            _held.Add(held);
        }
        token.Register(() => held.TrySetCanceled(token));
        return held.Task;
    }

    public void ReleaseAll()
    {
        lock (_lock)
        {
            foreach (var held in _held)
                held.TrySetResult();
        }
    }
}
