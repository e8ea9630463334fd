using System;
using System.Collections.Generic;

namespace Serilog.Sinks.LogTrace.Redaction;

// Compares query parameter names the way frameworks bind them, not as spelled: access-token, ACCESS_TOKEN and
// accesstoken are one name; token[] and token[0] are arrays of token; user[password] is a form field named password;
// "password+" decodes to "password " and binds as password; Input.Password is a password; X-Api-Key is the api key. The set of redacted names uses it,
// so a name the application adds is normalised the same way as the request's.
sealed class QueryParameterNameComparer : IEqualityComparer<string>
{
    public static readonly QueryParameterNameComparer Instance = new();

    public bool Equals(string? x, string? y)
    {
        if (x == null || y == null)
            return x == y;

        var a = Core(x);
        var b = Core(y);
        int i = 0, j = 0;
        while (true)
        {
            while (i < a.Length && IsSeparator(a[i]))
                i++;
            while (j < b.Length && IsSeparator(b[j]))
                j++;
            if (i == a.Length || j == b.Length)
                return i == a.Length && j == b.Length;
            if (char.ToLowerInvariant(a[i]) != char.ToLowerInvariant(b[j]))
                return false;
            i++;
            j++;
        }
    }

    public int GetHashCode(string name)
    {
        // FNV-1a over the characters that count (netstandard2.0 has no System.HashCode).
        unchecked
        {
            var hash = (int)2166136261;
            foreach (var c in Core(name))
            {
                if (!IsSeparator(c))
                    hash = (hash ^ char.ToLowerInvariant(c)) * 16777619;
            }
            return hash;
        }
    }

    static bool IsSeparator(char c) => c is '-' or '_';

    // The part of a name that identifies the parameter: without spaces around it, array or nesting brackets, or an
    // x- prefix.
    static string Core(string name)
    {
        var core = name.Trim();
        while (core.Length > 0 && core[core.Length - 1] == ']')
        {
            var open = core.LastIndexOf('[');
            if (open < 0)
                break;
            var inner = core.Substring(open + 1, core.Length - open - 2).Trim();
            if (inner.Length > 0 && !IsIndex(inner))
            {
                core = inner;
                break;
            }
            core = core.Substring(0, open).TrimEnd();
        }

        // Model binding's dotted names (Input.Password, user.password) name the last member.
        var dot = core.LastIndexOf('.');
        if (dot >= 0 && dot < core.Length - 1)
            core = core.Substring(dot + 1);

        if (core.Length > 2 && core[0] is 'x' or 'X' && IsSeparator(core[1]))
            core = core.Substring(2);
        return core;
    }

    static bool IsIndex(string text)
    {
        foreach (var c in text)
        {
            if (c is < '0' or > '9')
                return false;
        }
        return true;
    }
}
