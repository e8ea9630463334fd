using Serilog.Events;
using static Serilog.Sinks.LogTrace.Tests.Support.Some;

namespace Serilog.Sinks.LogTrace.Tests.Formatting;

// The sink's own metadata entries: the level's name, and the exception's text when its ToString() fails.
public class MetadataEntriesTests
{
    sealed class UnprintableException : Exception
    {
        public override string ToString() => throw new InvalidOperationException("no text");
    }

    static LogEvent At(LogEventLevel level, Exception? exception = null) =>
        LogEvent("Something happened", level, exception, Prop(LogTraceProperties.EventName, "level.written"));

    [Theory]
    [InlineData(LogEventLevel.Verbose, "Verbose")]
    [InlineData(LogEventLevel.Debug, "Debug")]
    [InlineData(LogEventLevel.Information, "Information")]
    [InlineData(LogEventLevel.Warning, "Warning")]
    [InlineData(LogEventLevel.Error, "Error")]
    [InlineData(LogEventLevel.Fatal, "Fatal")]
    [InlineData((LogEventLevel)42, "42")]
    public void TheLevelIsWrittenByItsName(LogEventLevel level, string expected)
    {
        Assert.Equal(expected, FormattedBody.Of(At(level)).GetProperty("metadata").GetProperty("level").GetString());
    }

    // An exception whose ToString() throws still gives its type, and says what happened, instead of failing the record.
    [Fact]
    public void AnExceptionWhoseTextCannotBeHadIsNamedByItsType()
    {
        var metadata = FormattedBody.Of(At(LogEventLevel.Error, new UnprintableException())).GetProperty("metadata");

        Assert.Equal(typeof(UnprintableException).FullName + ": [ToString() threw InvalidOperationException]",
            metadata.GetProperty("exception").GetString());
    }
}
