using Serilog.Sinks.LogTrace.Sending;

namespace Serilog.Sinks.LogTrace.Accounting;

// Why an event was not delivered. Every accepted event ends as sent or as exactly one of these.
enum LossReason
{
    // The service answered 400, 413, 415, 422 (or another 4xx that is not a configuration error): the same body
    // can never succeed.
    Rejected,

    // 401, 402, 403, 428, 404/405 (wrong endpoint) or a redirect (never followed): the configuration or the account
    // must change first.
    Unauthorized,

    // Retryable failures went on for longer than the retry time limit.
    RetryLimit,

    // The queue held queueLimit events already.
    QueueFull,

    // The shutdown timeout passed before the event could be delivered.
    Shutdown,

    // The event cannot become a LogTrace event: no user and no fallback, an EventName that is not a scalar, or a
    // value that could not be formatted.
    Invalid,

    // The durable buffer held bufferSizeLimitBytes already: the new event was refused, the buffered ones kept.
    BufferFull,

    // A record of the durable buffer failed its checksum or could not be read: it was moved to the dead-letter folder.
    Corrupt,

    // The application's before-send hook returned false: the application chose not to send it. Not a failure, so
    // no failure listener (fallback sink) receives it.
    DroppedByHook,

    // The before-send hook threw, or returned a body that could not be written.
    HookFailed,
}

static class LossReasons
{
    public const int Count = 10;

    // The values of the "reason" tag of the logtrace.events.failed metric.
    public static string TagValue(LossReason reason) => reason switch
    {
        LossReason.Rejected => "rejected",
        LossReason.Unauthorized => "unauthorized",
        LossReason.RetryLimit => "retry_limit",
        LossReason.QueueFull => "queue_full",
        LossReason.Shutdown => "shutdown",
        LossReason.BufferFull => "buffer_full",
        LossReason.Corrupt => "corrupt",
        LossReason.DroppedByHook => "dropped_by_hook",
        LossReason.HookFailed => "hook_failed",
        _ => "invalid",
    };
}
