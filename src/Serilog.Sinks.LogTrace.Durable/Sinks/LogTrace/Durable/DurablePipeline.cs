using System;
using Serilog.Sinks.LogTrace.Buffering;
using Serilog.Sinks.LogTrace.Configuration;
using Serilog.Sinks.LogTrace.Http;
using Serilog.Sinks.LogTrace.Pipeline;
using Serilog.Sinks.LogTrace.Records;
using Serilog.Sinks.LogTrace.Accounting;

namespace Serilog.Sinks.LogTrace.Durable;

// The durable buffer's entry point, which the core package finds by name (EventStoreLocator) when bufferPath is set:
// the same sink and queue as in memory, drained by the durable outbox over the SQLite store.
sealed class DurablePipeline : DurableBuffer
{
    public override LogTraceSink CreateSink(LogTraceSinkSettings settings, string bufferPath) =>
        Create(settings, bufferPath, new SqliteEventStoreFactory());

    // The durable pipeline: the same sink and queue, drained by the durable outbox. A folder another process holds
    // is delivered from memory until it comes free (HeldBufferOutbox), with a SelfLog line: the other process's buffer
    // is never touched, and this process still delivers.
    internal static LogTraceSink Create(LogTraceSinkSettings settings, string bufferPath,
        EventStoreFactory stores, LogTraceApi? api = null, Func<string>? newEventId = null)
    {
        BufferLock? bufferLock;
        try
        {
            bufferLock = BufferLock.TryAcquire(bufferPath);
        }
        catch (BufferUnavailableException ex)
        {
            return Unavailable(settings, api, bufferPath, ex);
        }
        if (bufferLock == null)
        {
            QuietSelfLog.WriteLine("LogTrace: the durable buffer at {0} is in use by another process (two processes must not share a bufferPath); " +
                "this logger delivers from memory meanwhile, without the buffer's protection, and takes the buffer over once the other process " +
                "has gone (an overlapping restart). Give each process its own bufferPath.", bufferPath);
            var memoryFormatter = new LogTraceEventFormatter(settings, newEventId);
            var memoryApi = api ?? new HttpLogTraceApi(settings.BaseUri, settings.ApiKey, settings.Options.RequestTimeout, settings.Options.MessageHandler);
            return new LogTraceSink(settings, memoryFormatter.Text.RedactSecret,
                parts => new HeldBufferOutbox(parts, memoryApi, memoryFormatter, bufferPath, stores));
        }

        EventStore? store = null;
        var givenApi = api;
        try
        {
            var options = settings.Options;
            var deadLetters = new DeadLetterFolder(bufferPath, options.BufferSizeLimitBytes / 10, options.TimeProvider);
            store = stores.Open(bufferPath, deadLetters);
            if (BacklogOwner.Claim(store, settings) is { } held)
            {
                // The records are another configuration's: left on disk, untouched, and the folder released for it.
                store.Dispose();
                bufferLock.Dispose();
                QuietSelfLog.WriteLine("LogTrace: the durable buffer at {0} is not used: {1}. This logger delivers from memory instead, without the " +
                    "buffer's protection; give it its own bufferPath.", bufferPath, held);
                return FromMemory(settings, api, held);
            }
            var formatter = new LogTraceEventFormatter(settings, newEventId);
            api ??= new HttpLogTraceApi(settings.BaseUri, settings.ApiKey, options.RequestTimeout, options.MessageHandler);
            var (openStore, openApi) = (store, api);
            return new LogTraceSink(settings, formatter.Text.RedactSecret,
                parts => new DurableOutbox(parts, openApi, formatter, openStore, bufferLock, deadLetters));
        }
        catch (BufferUnavailableException ex)
        {
            // The store holds its file exclusively: closed here, not whenever the GC gets to it, so a corrected
            // configuration in the same process can open the folder at once.
            store?.Dispose();
            bufferLock.Dispose();
            return Unavailable(settings, api, bufferPath, ex);
        }
        catch
        {
            store?.Dispose();
            if (givenApi == null)
                api?.Dispose();
            bufferLock.Dispose();
            throw;
        }
    }

    // A full disk at start: the application starts all the same, and its events go from memory.
    static LogTraceSink Unavailable(LogTraceSinkSettings settings, LogTraceApi? api, string bufferPath,
        BufferUnavailableException ex)
    {
        QuietSelfLog.WriteLine("LogTrace: the durable buffer at {0} cannot be opened now ({1}: {2}); this logger delivers from memory instead, without " +
            "the buffer's protection, until the application is restarted with room on the disk.", bufferPath, ex.Message, ex.InnerException?.Message);
        return FromMemory(settings, api, "it cannot be opened now (" + ex.Message + ")");
    }

    // The in-memory pipeline in the buffer's place; the status says why.
    static LogTraceSink FromMemory(LogTraceSinkSettings settings, LogTraceApi? api, string why)
    {
        var sink = LogTraceLoggerConfigurationExtensions.CreatePipeline(settings, api);
        sink.BufferUnavailable = why;
        return sink;
    }
}
