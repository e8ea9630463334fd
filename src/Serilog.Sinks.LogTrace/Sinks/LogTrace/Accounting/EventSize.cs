using System;
using System.Collections.Generic;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Sending;

namespace Serilog.Sinks.LogTrace.Accounting;

// An estimate of the memory a queued event keeps alive, for the queue's byte bound. It counts what is particular to
// the event (property values, strings, the exception) and not what events share (the parsed message template, a
// request's state object); the per-object figures are those of a 64-bit runtime. It needs to be right within a small
// factor, and cheap: it runs on the application's thread for every event, and again when the event is finished.
static class EventSize
{
    const long EventOverhead = 160;        // LogEvent, its property dictionary and bucket arrays
    const long PropertyOverhead = 48;      // a dictionary entry and its share of the table's growth
    const long ScalarOverhead = 24;
    const long StringOverhead = 22;
    const long BoxedOverhead = 24;
    const long CollectionOverhead = 56;
    const long ExceptionOverhead = 1024;   // the exception object and its stack trace, roughly
    // Serilog's own destructuring stops at 10 levels; this only guards against a value built by hand.
    const int MaxDepth = 64;

    public static long Estimate(LogEvent logEvent)
    {
        var size = EventOverhead;
        // Through the concrete dictionary where it is one: its struct enumerator allocates nothing on this hot path.
        if (logEvent.Properties is Dictionary<string, LogEventPropertyValue> properties)
        {
            foreach (var property in properties)
                size += PropertyOverhead + Of(property.Value, 0);
        }
        else
        {
            foreach (var property in logEvent.Properties)
                size += PropertyOverhead + Of(property.Value, 0);
        }
        // The exception and its inner ones, by their messages (ToString would be too dear here).
        for (var exception = logEvent.Exception; exception != null; exception = exception.InnerException)
            size += ExceptionOverhead + 2L * MessageLength(exception);
        return size;
    }

    // On the application's thread, inside Emit, which must never throw: an exception whose Message throws counts as
    // having none.
    static int MessageLength(Exception exception)
    {
        try
        {
            return exception.Message?.Length ?? 0;
        }
        catch (Exception)
        {
            return 0;
        }
    }

    // A copy of an event kept beside it (the sink's copy with a request's values, whose original a fallback sink
    // receives): the original's own dictionary; the values are shared.
    public static long Shell(LogEvent logEvent) => EventOverhead + PropertyOverhead * logEvent.Properties.Count;

    static long Of(LogEventPropertyValue value, int depth)
    {
        if (depth > MaxDepth)
            return CollectionOverhead;

        switch (value)
        {
            case ScalarValue scalar:
                return ScalarOverhead + scalar.Value switch
                {
                    null => 0,
                    string text => StringOverhead + 2L * text.Length,
                    _ => BoxedOverhead,
                };
            case SequenceValue sequence:
            {
                var size = CollectionOverhead;
                var elements = sequence.Elements;
                for (var i = 0; i < elements.Count; i++)
                    size += 8 + Of(elements[i], depth + 1);
                return size;
            }
            case StructureValue structure:
            {
                var size = CollectionOverhead + StringOverhead + 2L * (structure.TypeTag?.Length ?? 0);
                var properties = structure.Properties;
                for (var i = 0; i < properties.Count; i++)
                    size += PropertyOverhead + Of(properties[i].Value, depth + 1);
                return size;
            }
            case DictionaryValue dictionary:
            {
                var size = CollectionOverhead;
                foreach (var element in dictionary.Elements)
                    size += PropertyOverhead + Of(element.Key, depth + 1) + Of(element.Value, depth + 1);
                return size;
            }
            default:
                return ScalarOverhead;
        }
    }
}
