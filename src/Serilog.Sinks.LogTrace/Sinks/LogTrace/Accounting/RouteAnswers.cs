using System;
using Serilog.Sinks.LogTrace.Records;

namespace Serilog.Sinks.LogTrace.Accounting;

// The service's latest answer on each route (events, audit logs, sessions), for the status and the health check:
// its status code, when it came, and whether it refused the configuration (401, 402, 403, 404, 405, 428, a
// redirect). A request that got no answer (the service is down) leaves the latest answer as it was. Written once per
// answer, off the application's thread (at most 100 answers a minute from the service).
sealed class RouteAnswers
{
    readonly object _lock = new();
    readonly Answer?[] _latest = new Answer?[RecordKinds.Count];
    readonly TimeProvider _time;

    public RouteAnswers(TimeProvider time) => _time = time;

    // refusal: the redacted description of a configuration refusal; null for any other answer.
    public void Answered(RecordKind kind, int statusCode, string? refusal)
    {
        var answer = new Answer(statusCode, _time.GetUtcNow(), refusal);
        lock (_lock)
            _latest[(int)kind] = answer;
    }

    public Answer? Latest(RecordKind kind)
    {
        lock (_lock)
            return _latest[(int)kind];
    }

    internal sealed class Answer
    {
        public Answer(int statusCode, DateTimeOffset at, string? refusal)
        {
            StatusCode = statusCode;
            At = at;
            Refusal = refusal;
        }

        public int StatusCode { get; }

        public DateTimeOffset At { get; }

        public string? Refusal { get; }
    }
}
