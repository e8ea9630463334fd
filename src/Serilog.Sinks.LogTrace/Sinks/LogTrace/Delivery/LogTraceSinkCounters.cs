using System.Threading;

namespace Serilog.Sinks.LogTrace.Delivery;

// Every event the sink accepts ends in exactly one of these counts, so a loss is never silent. The metrics of the
// delivery issue will be published from here.
sealed class LogTraceSinkCounters
{
    long _sent, _rejected, _failed, _droppedWithoutUser, _droppedInvalid;

    public long Sent => Interlocked.Read(ref _sent);

    // The service answered with a non-success status.
    public long Rejected => Interlocked.Read(ref _rejected);

    // The request did not get an answer (connection failure, timeout), or the event could not be formatted.
    public long Failed => Interlocked.Read(ref _failed);

    // Neither UserId nor UserName, and no fallback user name configured.
    public long DroppedWithoutUser => Interlocked.Read(ref _droppedWithoutUser);

    // EventName held a value that cannot be a name (a structure, sequence or dictionary).
    public long DroppedInvalid => Interlocked.Read(ref _droppedInvalid);

    public long Lost => Rejected + Failed + DroppedWithoutUser + DroppedInvalid;

    public void AddSent() => Interlocked.Increment(ref _sent);

    public void AddRejected() => Interlocked.Increment(ref _rejected);

    public void AddFailed() => Interlocked.Increment(ref _failed);

    public void AddDroppedWithoutUser() => Interlocked.Increment(ref _droppedWithoutUser);

    public void AddDroppedInvalid() => Interlocked.Increment(ref _droppedInvalid);
}
