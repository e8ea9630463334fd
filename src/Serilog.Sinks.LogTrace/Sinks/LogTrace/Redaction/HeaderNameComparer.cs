using System;
using System.Collections.Generic;

namespace Serilog.Sinks.LogTrace.Redaction;

// Header names compare ignoring case, and with _ as -: Kestrel accepts X_Api_Key as a header distinct from X-Api-Key,
// and many proxies and frameworks treat the two alike.
sealed class HeaderNameComparer : IEqualityComparer<string>
{
    public static readonly HeaderNameComparer Instance = new();

    public bool Equals(string? x, string? y)
    {
        if (x == null || y == null)
            return x == y;
        if (x.Length != y.Length)
            return false;
        for (var i = 0; i < x.Length; i++)
        {
            if (Fold(x[i]) != Fold(y[i]))
                return false;
        }
        return true;
    }

    public int GetHashCode(string name)
    {
        unchecked
        {
            var hash = (int)2166136261;
            foreach (var c in name)
                hash = (hash ^ Fold(c)) * 16777619;
            return hash;
        }
    }

    static char Fold(char c) => c == '_' ? '-' : char.ToLowerInvariant(c);
}
