using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Serilog.Sinks.LogTrace.Records;
using Serilog.Sinks.LogTrace.Http;

namespace Serilog.Sinks.LogTrace.Tests.Support;

// A fake of the HTTP seam: records each body and answers with what the test says.
sealed class CollectingLogTraceApi : LogTraceApi
{
    readonly Func<JsonElement, CancellationToken, Task<LogTraceResponse>> _answer;
    int _inFlight;
    int _maxInFlight;

    public CollectingLogTraceApi(Func<JsonElement, Task<LogTraceResponse>>? answer = null)
    {
        _answer = answer == null ? (_, _) => Task.FromResult(new LogTraceResponse(202, null)) : (body, _) => answer(body);
    }

    public CollectingLogTraceApi(Func<JsonElement, CancellationToken, Task<LogTraceResponse>> answer) => _answer = answer;

    // A service that never answers: every request waits until the sink cancels it, so nothing leaves the queue.
    public static CollectingLogTraceApi Stalled() => new(async (_, cancellationToken) =>
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return new LogTraceResponse(202, null);
    });

    // The event id of each request, in order: retries repeat the id of the first attempt.
    public IReadOnlyList<string?> EventIds => Bodies.Select(b => b.GetProperty("metadata").GetProperty("_event_id").GetString()).ToArray();

    public ConcurrentQueue<JsonElement> Bodies { get; } = new();

    // Each request's route and body, in order.
    public ConcurrentQueue<(RecordKind Kind, JsonElement Body)> Requests { get; } = new();

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public int InFlight => Volatile.Read(ref _inFlight);

    public bool Disposed => DisposeCount > 0;

    public int DisposeCount => Volatile.Read(ref _disposeCount);
    int _disposeCount;

    public override async Task<LogTraceResponse> PostAsync(RecordKind kind, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var inFlight = Interlocked.Increment(ref _inFlight);
        InterlockedMax(ref _maxInFlight, inFlight);
        try
        {
            using var document = JsonDocument.Parse(Encoding.UTF8.GetString(body.Span));
            var element = document.RootElement.Clone();
            Bodies.Enqueue(element);
            Requests.Enqueue((kind, element));
            return await _answer(element, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    public override void Dispose() => Interlocked.Increment(ref _disposeCount);
}
