// Compiled into the core and, as a linked file, into the test server (its own namespace there, so that the tests, which
// see both assemblies' internals, can name each).
#if LOGTRACE_TESTING
namespace Serilog.Sinks.LogTrace.Testing.Internal;
#else
namespace Serilog.Sinks.LogTrace.Records;
#endif

// How the service (Go's encoding/json, docs/logtrace-api.md) matches a JSON key to one of its fields, whose names are
// ASCII: by Unicode case folding, which for an ASCII name is its letters in either case, and two letters outside ASCII,
// the Kelvin sign (U+212A) for k and the long s (U+017F) for s. String.Equals with OrdinalIgnoreCase is both wider
// (it takes the dotless i for i) and narrower (it does not take the Kelvin sign). Used by the sink's before-send check
// (OutgoingBodyRules) and the test server's validation (ServiceValidation).
static class JsonFieldNames
{
    public static bool Match(string key, string field)
    {
        if (key.Length != field.Length)
            return false;
        for (var i = 0; i < key.Length; i++)
        {
            var folded = key[i] switch
            {
                '\u212A' => 'k',
                '\u017F' => 's',
                >= 'A' and <= 'Z' and var upper => (char)(upper + ('a' - 'A')),
                var other => other,
            };
            if (folded != field[i])
                return false;
        }
        return true;
    }
}
