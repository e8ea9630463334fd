using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;

namespace Serilog.Sinks.LogTrace.Http;

// Ends each exchange with the service (request, answer and its body) at requestTimeout, with one timer for all of them:
// a timer per request (CancellationTokenSource.CancelAfter) cost about a quarter of the CPU of a whole request on the
// machine the performance budget was measured on (docs/benchmarks.md). The timer ticks every eighth of the timeout
// (at least 10 ms apart, at most 1 s), so an exchange ends within that tick after its timeout.
sealed class ExchangeDeadlines : IDisposable
{
    static readonly TimeSpan MinimumTick = TimeSpan.FromMilliseconds(10);
    static readonly TimeSpan MaximumTick = TimeSpan.FromSeconds(1);

    readonly long _timeoutTicks;
    readonly Timer _timer;
    readonly List<Exchange> _open = new();
    Exchange[] _due = new Exchange[4];

    public ExchangeDeadlines(TimeSpan timeout)
    {
        _timeoutTicks = (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        var eighth = TimeSpan.FromTicks(timeout.Ticks / 8);
        Tick = eighth < MinimumTick ? MinimumTick : eighth > MaximumTick ? MaximumTick : eighth;
        // The timer belongs to the sink, not to whichever caller created it.
        using (ExecutionContext.IsFlowSuppressed() ? null : (IDisposable)ExecutionContext.SuppressFlow())
            _timer = new Timer(static s => ((ExchangeDeadlines)s!).CancelOverdue(), this, Tick, Tick);
    }

    public TimeSpan Tick { get; }

    // The token of one exchange: cancelled at the timeout, or when the caller's token is.
    public Exchange Open(CancellationToken cancellationToken)
    {
        var exchange = new Exchange(this, CancellationTokenSource.CreateLinkedTokenSource(cancellationToken), Stopwatch.GetTimestamp() + _timeoutTicks);
        lock (_open)
            _open.Add(exchange);
        return exchange;
    }

    void Close(Exchange exchange)
    {
        lock (_open)
            _open.Remove(exchange);
    }

    void CancelOverdue()
    {
        var now = Stopwatch.GetTimestamp();
        var count = 0;
        lock (_open)
        {
            foreach (var exchange in _open)
            {
                if (exchange.Due - now > 0)
                    continue;
                if (count == _due.Length)
                    Array.Resize(ref _due, count * 2);
                _due[count++] = exchange;
            }
        }
        // Outside the lock: cancelling runs the exchange's callbacks (HttpClient aborts the connection).
        for (var i = 0; i < count; i++)
        {
            _due[i].Cancel();
            _due[i] = null!;
        }
    }

    public void Dispose() => _timer.Dispose();

    public sealed class Exchange : IDisposable
    {
        readonly ExchangeDeadlines _owner;
        readonly CancellationTokenSource _source;

        public Exchange(ExchangeDeadlines owner, CancellationTokenSource source, long due)
        {
            _owner = owner;
            _source = source;
            Due = due;
        }

        public long Due { get; }

        public CancellationToken Token => _source.Token;

        internal void Cancel()
        {
            try
            {
                _source.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The exchange finished between the check and now.
            }
            catch (AggregateException)
            {
                // A callback of the exchange's own failed: the exchange is cancelled all the same.
            }
        }

        public void Dispose()
        {
            _owner.Close(this);
            _source.Dispose();
        }
    }
}
