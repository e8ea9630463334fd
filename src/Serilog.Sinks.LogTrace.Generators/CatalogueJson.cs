using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Serilog.Sinks.LogTrace.Generators;

// The catalogue as JSON, for the opt-in <LogTraceRecordCatalogJson>true</LogTraceRecordCatalogJson>. A generator
// cannot write files, so this is a generated source whose JSON lines sit between "#if LOGTRACE_RECORD_CATALOG_JSON"
// and "#endif" (text the compiler skips); the package's build targets turn on EmitCompilerGeneratedFiles for it, and
// after compiling copy the lines between, as they are (MSBuild splits nothing it read), to
// $(OutDir)$(AssemblyName).logtrace-records.json.
static class CatalogueJson
{
    const string Prefix = "";
    public const string Start = "#if LOGTRACE_RECORD_CATALOG_JSON", End = "#endif";

    public static string Emit(IReadOnlyList<RecordModel> records)
    {
        var text = new StringBuilder();
        text.AppendLine(Start);
        text.Append(Prefix).AppendLine("[");
        var ordered = CatalogueEmitter.Ordered(records).ToList();
        for (var i = 0; i < ordered.Count; i++)
        {
            var r = ordered[i];
            text.Append(Prefix).Append("  {\"kind\": ").Append(Json(r.Kind)).Append(", \"name\": ").Append(Json(r.Name))
                .Append(", \"level\": ").Append(Json(r.SerilogLevel)).Append(", \"parameters\": ").Append(Json(r.ParameterList.Replace("global::", "")))
                .Append(", \"message\": ").Append(Json(r.Message)).Append(", \"method\": ").Append(Json(r.TypeKey.Replace("global::", "") + "." + r.MethodName))
                .Append('}').AppendLine(i == ordered.Count - 1 ? "" : ",");
        }
        text.Append(Prefix).AppendLine("]");
        text.AppendLine(End);
        return text.ToString();
    }

    static string Json(string value)
    {
        var text = new StringBuilder("\"");
        foreach (var c in value)
        {
            if (c == '"' || c == '\\')
                text.Append('\\').Append(c);
            // C# ends a line at U+0085, U+2028 and U+2029 too: unescaped, a name holding one and then "#endif" would
            // end the skipped block early.
            else if (c < ' ' || c == '\u0085' || c == '\u2028' || c == '\u2029')
                text.Append("\\u").Append(((int)c).ToString("x4"));
            else
                text.Append(c);
        }
        return text.Append('"').ToString();
    }
}
