using Serilog.Events;
using Serilog.Sinks.LogTrace.Records;
using static Serilog.Sinks.LogTrace.Tests.Support.Some;

namespace Serilog.Sinks.LogTrace.Tests.Formatting;

// Deciding whether an object needs UniqueNames costs no allocation: a sink formats each event once, so what a value
// allocates the first time it is formatted is what every event pays (UniqueNames.MayRepeat).
public sealed class RepeatedNamesAllocationTests
{
    const int Rounds = 50;

    static DictionaryValue TextKeys() => new(new[]
    {
        new KeyValuePair<ScalarValue, LogEventPropertyValue>(new ScalarValue("Accept"), new ScalarValue("text/html")),
        new KeyValuePair<ScalarValue, LogEventPropertyValue>(new ScalarValue("Host"), new ScalarValue("example.com")),
    });

    // A new dictionary for the metadata and for the request headers, as every logged event has.
    static LogEvent WithNewDictionaries() =>
        Event("user.login", properties: new[] { Prop("Map", TextKeys()), Prop(LogTraceProperties.RequestHeaders, TextKeys()) });

    static long Allocated(LogTraceEventFormatter formatter, FormatBuffers buffers, LogEvent[] events)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var logEvent in events)
            Assert.Equal(FormatOutcome.Formatted, formatter.Format(logEvent, buffers));
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Fact]
    public void ADictionaryFormattedForTheFirstTimeAllocatesNoMoreThanOneFormattedBefore()
    {
        var formatter = FormattedBody.Formatter();
        using var buffers = new FormatBuffers();
        var seen = WithNewDictionaries();
        var warmUp = Enumerable.Range(0, Rounds).Select(_ => WithNewDictionaries()).ToArray();
        Allocated(formatter, buffers, warmUp);
        Allocated(formatter, buffers, Enumerable.Repeat(seen, Rounds).ToArray());

        var fresh = Enumerable.Range(0, Rounds).Select(_ => WithNewDictionaries()).ToArray();
        var again = Enumerable.Repeat(seen, Rounds).ToArray();

        Assert.Equal(Allocated(formatter, buffers, again), Allocated(formatter, buffers, fresh));
    }
}
