using System.Collections.Generic;

namespace Serilog.Sinks.LogTrace.Redaction;

// Property names compare ignoring case, '-' and '_': an entity's PasswordHash, a JSON body's password_hash and a form's
// password-hash are one name, whichever convention the type or the serializer followed. Unlike header names ('_' as
// '-'), a property's words may be joined by nothing at all, so the separators are dropped rather than unified.
sealed class PropertyNameComparer : IEqualityComparer<string>
{
    public static readonly PropertyNameComparer Instance = new();

    public bool Equals(string? x, string? y)
    {
        if (x == null || y == null)
            return x == y;
        int i = 0, j = 0;
        while (true)
        {
            while (i < x.Length && IsSeparator(x[i]))
                i++;
            while (j < y.Length && IsSeparator(y[j]))
                j++;
            if (i == x.Length || j == y.Length)
                return i == x.Length && j == y.Length;
            if (Fold(x[i]) != Fold(y[j]))
                return false;
            i++;
            j++;
        }
    }

    // FNV-1a over the characters that count (netstandard2.0 has no System.HashCode). Runs for every property name the
    // sink writes, so ASCII letters are folded without a call.
    public int GetHashCode(string name)
    {
        unchecked
        {
            var hash = (int)2166136261;
            foreach (var c in name)
            {
                if (!IsSeparator(c))
                    hash = (hash ^ Fold(c)) * 16777619;
            }
            return hash;
        }
    }

    internal static bool IsSeparator(char c) => c is '-' or '_';

    internal static char Fold(char c) => c switch
    {
        >= 'A' and <= 'Z' => (char)(c | 0x20),
        < (char)0x80 => c,
        _ => char.ToLowerInvariant(c),
    };
}
