using System.Collections.Generic;
using System.Linq;

namespace Serilog.Sinks.LogTrace.Generators;

// The placeholders of a message template, as Serilog's parser reads them: "{{" and "}}" are literal braces; a hole is
// "{" [@|$] name [,alignment] [:format] "}". Text that is not a well-formed hole is text, as it is to Serilog.
static class TemplateHoles
{
    internal readonly struct Hole
    {
        public Hole(string name, char capture)
        {
            Name = name;
            Capture = capture;
        }

        public string Name { get; }

        // '@', '$' or '\0'.
        public char Capture { get; }
    }

    // anyName: Microsoft.Extensions.Logging's formatter, which takes any text between braces as a name (Serilog's provider
    // then makes a property of it), where Serilog's parser takes letters, digits and '_' only.
    public static List<Hole> Parse(string template, bool anyName = false)
    {
        var holes = new List<Hole>();
        for (var i = 0; i < template.Length; i++)
        {
            if (template[i] != '{')
                continue;
            if (i + 1 < template.Length && template[i + 1] == '{')
            {
                i++;
                continue;
            }
            var end = template.IndexOf('}', i + 1);
            if (end < 0)
                break;
            var inner = template.Substring(i + 1, end - i - 1);
            var capture = inner.Length > 0 && inner[0] is '@' or '$' ? inner[0] : '\0';
            var name = capture == '\0' ? inner : inner.Substring(1);
            var cut = name.IndexOfAny(new[] { ',', ':' });
            string? alignment = null;
            if (cut >= 0)
            {
                if (name[cut] == ',')
                {
                    var format = name.IndexOf(':', cut);
                    alignment = format < 0 ? name.Substring(cut + 1) : name.Substring(cut + 1, format - cut - 1);
                }
                name = name.Substring(0, cut);
            }
            if (anyName ? name.Trim().Length > 0 : IsName(name) && (alignment == null || IsAlignment(alignment)))
                holes.Add(new Hole(name, capture));
            i = end;
        }
        return holes;
    }

    // Serilog's: an int with no '+' ("{Count,abc}", "{Count, 5}" and "{Count,+5}" are text; "{Count,-5}" aligns left).
    static bool IsAlignment(string alignment) =>
        alignment.Length > 0 && alignment[0] != '+' &&
        int.TryParse(alignment, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out _);

    // Serilog's: digits only ("{0}"), or names joined by '.' ("{Order.Id}"), each a letter or '_' then letters,
    // digits or '_' ("{1a}", "{Order.}" and "{.Id}" are text).
    static bool IsName(string name)
    {
        if (name.Length == 0)
            return false;
        if (char.IsDigit(name[0]))
            return name.All(char.IsDigit);
        var begin = true;
        foreach (var c in name)
        {
            if (begin ? !(char.IsLetter(c) || c == '_') : !(char.IsLetterOrDigit(c) || c == '_' || c == '.'))
                return false;
            begin = c == '.';
        }
        return !begin;
    }
}
