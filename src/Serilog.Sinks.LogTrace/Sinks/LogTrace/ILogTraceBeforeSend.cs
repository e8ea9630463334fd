namespace Serilog.Sinks.LogTrace;

/// <summary>
/// The application's last word on each LogTrace record: it sees the record as it will be sent (its kind, its route and
/// its body, after formatting and redaction) and may change the body or drop the record. Set it in code with
/// <see cref="LogTraceSinkOptions.BeforeSend"/>, or from <c>appsettings.json</c> by type name
/// (<c>"beforeSend": "MyApp.LogTraceHook, MyApp"</c>: a public class with a parameterless constructor).
/// </summary>
/// <remarks>
/// It runs off the application's thread, once per record, before the record is queued for sending or written to the
/// durable buffer; a retry or a replay after a restart sends the body it returned without calling it again. It must be
/// thread-safe and quick: records wait for it. A record it drops is counted as lost, reason <c>dropped_by_hook</c>; if
/// it throws, the record is lost, reason <c>hook_failed</c>, and the sink goes on. See <c>docs/before-send.md</c>.
/// </remarks>
public interface ILogTraceBeforeSend
{
    /// <summary>Looks at, and may change, one record before it is sent.</summary>
    /// <param name="record">The record as it will be sent; change <see cref="LogTraceOutgoingRecord.Body"/> in place.</param>
    /// <returns><see langword="true"/> to send the record (as the body now stands); <see langword="false"/> to drop it.</returns>
    bool BeforeSend(LogTraceOutgoingRecord record);
}
