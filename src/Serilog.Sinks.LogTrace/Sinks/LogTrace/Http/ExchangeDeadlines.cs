using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using Serilog.Debugging;

namespace Serilog.Sinks.LogTrace.Http;

// Ends each exchange with the service (request, answer and its body) at requestTimeout, with one timer for all of them:
// a timer per request (CancellationTokenSource.CancelAfter) cost about a quarter of the CPU of a whole request on the
// machine the performance budget was measured on (docs/benchmarks.md). The timer checks every eighth of the timeout
// (at least 10 ms apart, at most 1 s), so an exchange ends within that tick after its timeout. It runs only while
// exchanges are open, one tick at a time (re-armed after each check, so two checks never overlap), and holds nothing
// once the last exchange has closed: an idle or forgotten sink leaves no timer ticking.
sealed class ExchangeDeadlines : IDisposable
{
    static readonly TimeSpan MinimumTick = TimeSpan.FromMilliseconds(10);
    static readonly TimeSpan MaximumTick = TimeSpan.FromSeconds(1);

    readonly long _timeoutTicks;
    readonly Timer _timer;
    readonly List<Exchange> _open = new();
    bool _armed;
    bool _disposed;

    public ExchangeDeadlines(TimeSpan timeout)
    {
        _timeoutTicks = (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        var eighth = TimeSpan.FromTicks(timeout.Ticks / 8);
        Tick = eighth < MinimumTick ? MinimumTick : eighth > MaximumTick ? MaximumTick : eighth;
        // The timer belongs to the sink, not to whichever caller created it. Created disarmed.
        using (ExecutionContext.IsFlowSuppressed() ? null : (IDisposable)ExecutionContext.SuppressFlow())
            _timer = new Timer(static s => ((ExchangeDeadlines)s!).CancelOverdue(), this, Timeout.Infinite, Timeout.Infinite);
    }

    public TimeSpan Tick { get; }

    // Whether the timer is set to check again (for tests).
    internal bool IsArmed
    {
        get
        {
            lock (_open)
                return _armed;
        }
    }

    // The token of one exchange: cancelled at the timeout, or when the caller's token is.
    public Exchange Open(CancellationToken cancellationToken)
    {
        var exchange = new Exchange(this, CancellationTokenSource.CreateLinkedTokenSource(cancellationToken), Stopwatch.GetTimestamp() + _timeoutTicks);
        lock (_open)
        {
            _open.Add(exchange);
            if (!_armed && !_disposed)
            {
                _armed = true;
                _timer.Change(Tick, Timeout.InfiniteTimeSpan);
            }
        }
        return exchange;
    }

    void Close(Exchange exchange)
    {
        lock (_open)
            _open.Remove(exchange);
    }

    void CancelOverdue()
    {
        try
        {
            List<Exchange>? due = null;
            var now = Stopwatch.GetTimestamp();
            lock (_open)
            {
                foreach (var exchange in _open)
                {
                    if (exchange.Due - now <= 0)
                        (due ??= new List<Exchange>()).Add(exchange);
                }
            }
            // Outside the lock: cancelling runs the exchange's callbacks (HttpClient aborts the connection).
            if (due != null)
            {
                foreach (var exchange in due)
                    exchange.Cancel();
            }
        }
        catch (Exception ex)
        {
            // Never out of a timer callback: that would end the application.
            SelfLog.WriteLine("LogTrace: checking the request timeouts failed: {0}", ex);
        }
        finally
        {
            lock (_open)
            {
                _armed = _open.Count > 0 && !_disposed;
                if (_armed)
                    _timer.Change(Tick, Timeout.InfiniteTimeSpan);
            }
        }
    }

    public void Dispose()
    {
        lock (_open)
        {
            _disposed = true;
            _armed = false;
        }
        _timer.Dispose();
    }

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
