
namespace Serilog.Sinks.LogTrace.Tests.AspNetCore;

public class QueryStringRedactorTests
{
    [Theory]
    [InlineData("?debug&token&page=2", "?debug&token=[REDACTED]&page=2")]
    [InlineData("?password", "?password=[REDACTED]")]
    [InlineData("?&&flag&", "?flag")]
    [InlineData("?q=%E0%A4%A&token=x", "?q=%E0%A4%A&token=[REDACTED]")]
    public void BareNamesAndOddQueriesAreHandled(string query, string expected) =>
        Assert.Equal(expected, LogTraceRedaction.RedactQuery(query));
}
