using System;
using System.Collections.Generic;
using Serilog.Events;

namespace Serilog.Sinks.LogTrace.Records;

// The metadata object's names, one record at a time. Property names are distinct, and MetadataWriter.MetadataName
// keeps them so; only cleaning can make two alike (lone surrogates replaced, a name cut at the length limit, the API
// key inside a name). So a name cleaning changed, and only such a name, is checked against every property's name, the
// sink's own entries and the cleaned names written before it, and numbered like UniqueNames when it meets one.
struct TopLevelNames
{
    readonly IReadOnlyDictionary<string, LogEventPropertyValue> _properties;
    readonly UniqueNames _cleaned;
    bool _open;

    public TopLevelNames(IReadOnlyDictionary<string, LogEventPropertyValue> properties, UniqueNames cleaned)
    {
        _properties = properties;
        _cleaned = cleaned;
        _open = false;
    }

    // name: the property's metadata name (MetadataWriter.MetadataName); returns it cleaned, and distinct.
    public string Take(string name, TextSanitizer text)
    {
        var clean = text.Clean(name);
        if (string.Equals(clean, name, StringComparison.Ordinal))
            return name;
        if (!_open)
        {
            _cleaned.Begin();
            _open = true;
        }
        var candidate = clean;
        for (var n = 2; MetadataWriter.IsOwnEntryName(candidate) || _properties.ContainsKey(candidate) || !_cleaned.TryTake(candidate); n++)
            candidate = UniqueNames.Numbered(clean, n);
        return candidate;
    }

    public void End()
    {
        if (_open)
            _cleaned.End();
        _open = false;
    }
}
