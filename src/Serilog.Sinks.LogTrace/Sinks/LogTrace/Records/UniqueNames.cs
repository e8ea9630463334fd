using System;
using System.Collections.Generic;
using System.Globalization;
using Serilog.Events;

namespace Serilog.Sinks.LogTrace.Records;

// Keeps the names written into one JSON object distinct. A repeated name would reach the service as one object with
// two values for it (most readers keep one and drop the other), and System.Text.Json's JsonObject, the before-send
// hook's body, refuses such an object outright. Repeats come from values, not from the sink: a dictionary whose keys
// read alike (1 and "1", null and "null"), a hand-built structure naming one member twice or a member "$type" beside
// its type tag, two names that only differ in what cleaning replaces (lone surrogates, the part past the length
// limit). A name already written gets " (2)", " (3)", ...: nothing is dropped, and the renamed entry is recognisable.
// The writers take this slower path only for an object where a repeat is possible (MayRepeat), so an ordinary body
// pays nothing. One per FormatBuffers: a sender formats one record at a time.
sealed class UniqueNames
{
    // Past this, the set is dropped after use rather than kept, so one huge dictionary does not pin memory.
    const int KeptCapacity = 256;

    readonly List<HashSet<string>> _open = new();
    int _depth;

    // Starts an object; objects nest, each with its own names.
    public void Begin()
    {
        if (_depth == _open.Count)
            _open.Add(new HashSet<string>(StringComparer.Ordinal));
        _depth++;
    }

    public void End()
    {
        _depth--;
        var names = _open[_depth];
        if (names.Count > KeptCapacity)
        {
            _open[_depth] = new HashSet<string>(StringComparer.Ordinal);
            Replaced++;
        }
        else
        {
            names.Clear();
        }
    }

    // For tests: how many objects are open, and how many sets were let go for their size.
    internal int Depth => _depth;

    internal int Replaced { get; private set; }

    // Called before each record: a record that failed mid-object may have left objects open.
    public void Reset()
    {
        while (_depth > 0)
            End();
    }

    // The name to write: the name itself the first time, otherwise the first free "name (n)".
    public string Take(string name)
    {
        var taken = name;
        for (var n = 2; !TryTake(taken); n++)
            taken = Numbered(name, n);
        return taken;
    }

    // The n-th name of that spelling in one object: "name (2)", "name (3)", ... (TopLevelNames numbers alike).
    internal static string Numbered(string name, int n) => name + " (" + n.ToString(CultureInfo.InvariantCulture) + ")";

    // Whether the name is still free in the innermost open object; if so it is now taken.
    public bool TryTake(string name) => _open[_depth - 1].Add(name);

    // Past this many members a structure's names are checked through the set rather than pair by pair.
    const int PairwiseCheckLimit = 16;

    // Whether two of a structure's names could be written alike: a member named as the type tag (typeTagName, when
    // one is written), a name cleaning changes, or one name twice (Serilog's own capture never repeats one; a
    // hand-built structure can).
    public static bool MayRepeat(StructureValue structure, TextSanitizer text, string? typeTagName)
    {
        var properties = structure.Properties;
        if (properties.Count > PairwiseCheckLimit)
            return true;
        for (var i = 0; i < properties.Count; i++)
        {
            var name = properties[i].Name;
            if (text.NeedsCleaning(name.AsSpan()) || string.Equals(name, typeTagName, StringComparison.Ordinal))
                return true;
            for (var j = 0; j < i; j++)
            {
                if (string.Equals(properties[j].Name, name, StringComparison.Ordinal))
                    return true;
            }
        }
        return false;
    }

    // A dictionary's keys are distinct values, so only keys that are not all strings (1 and "1"), or a key cleaning
    // changes, can be written alike.
    public static bool MayRepeat(DictionaryValue dictionary, TextSanitizer text)
    {
        // Through the concrete dictionary (Serilog 4's DictionaryValue always holds one): its enumerator allocates
        // nothing. Not through Keys, which allocates its collection the first time it is asked for, and each event's
        // dictionary is a new one. Any other kind of dictionary is taken to repeat.
        if (dictionary.Elements is not Dictionary<ScalarValue, LogEventPropertyValue> entries)
            return true;
        foreach (var entry in entries)
        {
            if (MayRepeat(entry.Key, text))
                return true;
        }
        return false;
    }

    static bool MayRepeat(ScalarValue key, TextSanitizer text) => key.Value is not string name || text.NeedsCleaning(name.AsSpan());
}
