using Serilog.Events;

namespace Serilog.Sinks.LogTrace.Records;

// The opt-in for [LoggerMessage] and other Microsoft.Extensions.Logging calls (LogTraceSinkOptions.
// EventNameFromEventId): a log event without a marker whose EventId has a name is sent as the event of that name.
// Serilog's MEL provider (Serilog.Extensions.Logging) adds the EventId as a structure, { Id, Name }, and caches it by
// id only: two names that share an id are sent under whichever name it saw first for that id.
//
// Only a name with a '.' counts ("invoice.created"): .NET's [LoggerMessage] generator names every EventId after its
// method when EventName is not given, and a method's name never has one, so those calls stay plain log lines.
static class EventIdNames
{
    const string EventIdProperty = "EventId";
    const string NameField = "Name";

    public static bool TryGetName(LogEvent logEvent, out string name)
    {
        name = "";
        if (!logEvent.Properties.TryGetValue(EventIdProperty, out var value) || value is not StructureValue structure)
            return false;
        foreach (var field in structure.Properties)
        {
            if (field.Name == NameField && field.Value is ScalarValue { Value: string text } && text.IndexOf('.') > 0 &&
                !string.IsNullOrWhiteSpace(text))
            {
                name = text;
                return true;
            }
        }
        return false;
    }

    // A copy that carries EventName: the event other sinks receive is left as the application logged it.
    public static LogEvent WithEventName(LogEvent logEvent, string name)
    {
        var copy = LogEventCopy.Of(logEvent, 1);
        copy.AddOrUpdateProperty(new LogEventProperty(LogTraceProperties.EventName, new ScalarValue(name)));
        return copy;
    }
}
