using System.Collections;
using System.Collections.Generic;

namespace Serilog.Sinks.LogTrace.Records;

// A session token as a value Microsoft.Extensions.Logging hands to every provider: RecordSession's scope and a typed
// session's state. Every provider reads those values, not only Serilog's: the JSON console formatter (with
// IncludeScopes), OpenTelemetry and Application Insights write a value they do not know as its ToString(), which is
// the marker. Serilog captures an enumerable as a sequence of its elements (a value it does not know would be captured
// as its ToString() too, and the sink would lose the token), so the sink reads the token back from a list of one
// string (KnownFields). A provider that serializes enumerables element by element would see it: none of Microsoft's
// does.
sealed class HiddenSessionToken : IEnumerable<string>
{
    readonly string _token;

    public HiddenSessionToken(string token) => _token = token;

    public IEnumerator<string> GetEnumerator()
    {
        yield return _token;
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => LogTraceRedaction.Marker;
}
