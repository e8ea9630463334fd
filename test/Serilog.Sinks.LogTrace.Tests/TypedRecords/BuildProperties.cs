using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Serilog.Sinks.LogTrace.Tests.TypedRecords;

// MSBuild properties as the generator sees them (build_property.*), for a generator driver in a test.
sealed class BuildProperties(Dictionary<string, string> values) : AnalyzerConfigOptionsProvider
{
    public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(values);
    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Options(new());
    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => new Options(new());

    sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
    }
}
