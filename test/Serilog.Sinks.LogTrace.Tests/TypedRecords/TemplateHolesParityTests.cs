using Serilog.Parsing;
using Serilog.Sinks.LogTrace.Generators;

namespace Serilog.Sinks.LogTrace.Tests.TypedRecords;

// The generator reads a typed record's message as Serilog's parser will at run time: a placeholder it does not see
// would go unfilled, and one it sees where Serilog sees text would earn a false LOGTRACE002. Found by a review:
// "{Count,abc}" (an alignment that is no number) is text to Serilog and was a placeholder to the generator.
public class TemplateHolesParityTests
{
    [Theory]
    [InlineData("{Count}")]
    [InlineData("{Count,abc}")]
    [InlineData("{Count,0}")]
    [InlineData("{Count,-0}")]
    [InlineData("{Count,5}")]
    [InlineData("{Count,-5}")]
    [InlineData("{Count,--5}")]
    [InlineData("{Count,+5}")]
    [InlineData("{Count, 5}")]
    [InlineData("{Count,5 }")]
    [InlineData("{Count,}")]
    [InlineData("{Count:}")]
    [InlineData("{Count,5:x}")]
    [InlineData("{Count:x,5}")]
    [InlineData("{Count,99999999999}")]
    [InlineData("{Count,5-}")]
    [InlineData("{Count:N0}")]
    [InlineData("{Count:<}")]
    [InlineData("{@Count,3}")]
    [InlineData("{$Count:x}")]
    [InlineData("{Co unt}")]
    [InlineData("{@}")]
    [InlineData("{{Count}} {Other}")]
    [InlineData("{A < {Limit}")]
    [InlineData("{1a}")]
    [InlineData("{12}")]
    [InlineData("{Order.Id}")]
    [InlineData("{Order.}")]
    [InlineData("{.Id}")]
    [InlineData("{Order..Id}")]
    [InlineData("{Order.1}")]
    [InlineData("{_x.y_}")]
    [InlineData("{@Order.Id:x}")]
    [InlineData("{é1}")]
    [InlineData("{1é}")]
    [InlineData("abc{")]
    [InlineData("{")]
    [InlineData("}{")]
    [InlineData("{}")]
    [InlineData("{,5}")]
    [InlineData("{Count,9}")]
    [InlineData("{Count,-}")]
    [InlineData("{Count,5:}")]
    public void TheGeneratorFindsThePlaceholdersSerilogFinds(string template)
    {
        var serilog = new MessageTemplateParser().Parse(template).Tokens.OfType<PropertyToken>().Select(t => t.PropertyName).ToArray();

        var generator = TemplateHoles.Parse(template).Select(h => h.Name).ToArray();

        Assert.Equal(serilog, generator);
    }
}
