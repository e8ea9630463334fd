using Serilog.Sinks.LogTrace.Redaction;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Formatting;

// LogTraceRedaction's header and query parameter lists: public sets the application may change while records are
// formatted on other threads. Each change is copied and published whole, so a name in the set is never missed (a
// header sent in clear) while another is added or removed; every set operation keeps the list's own comparer.
public class NameSetTests
{
    [Fact]
    public void TheDefaultListsAreTheSetsTheSinkReads()
    {
        Assert.Same(LogTraceRedaction.SensitiveHeaderSet, LogTraceRedaction.SensitiveHeaders);
        Assert.Same(LogTraceRedaction.SensitiveQueryParameterSet, LogTraceRedaction.SensitiveQueryParameters);
        Assert.True(LogTraceRedaction.IsSensitiveHeader("authorization"));
        Assert.False(LogTraceRedaction.IsSensitiveHeader("Accept"));
        Assert.True(LogTraceRedaction.IsSensitiveQueryParameter("Access-Token"));
        Assert.False(LogTraceRedaction.IsSensitiveQueryParameter("page"));
    }

    [Fact]
    public void EverySetOperationKeepsTheComparer()
    {
        var set = new NameSet(new[] { "Alpha", "Beta" }, StringComparer.OrdinalIgnoreCase);
        Assert.True(set.Contains("ALPHA"));
        Assert.False(set.Contains("Gamma"));
        set.UnionWith(new[] { "Gamma" });
        Assert.True(set.Contains("gamma"));
        set.IntersectWith(new[] { "alpha", "gamma" });
        Assert.False(set.Contains("Beta"));
        Assert.True(set.Contains("Alpha"));
        set.ExceptWith(new[] { "ALPHA" });
        Assert.False(set.Contains("Alpha"));
        set.SymmetricExceptWith(new[] { "Gamma", "Delta" });
        Assert.False(set.Contains("Gamma"));
        Assert.True(set.Contains("delta"));
        Assert.True(set.Add("Epsilon"));
        Assert.False(set.Add("EPSILON"));
        ((ICollection<string>)set).Add("Zeta");
        Assert.Equal(3, set.Count);
        Assert.True(set.Remove("zeta"));
        Assert.True(set.Remove("epsilon"));
        Assert.False(set.Remove("epsilon"));
        Assert.Equal(new[] { "Delta" }, set.ToArray());

        Assert.True(set.IsSubsetOf(new[] { "delta", "x" }));
        Assert.True(set.IsProperSubsetOf(new[] { "delta", "x" }));
        Assert.True(set.IsSupersetOf(new[] { "DELTA" }));
        Assert.False(set.IsProperSupersetOf(new[] { "DELTA" }));
        Assert.True(set.Overlaps(new[] { "DELTA" }));
        Assert.True(set.SetEquals(new[] { "delta" }));
        Assert.False(set.IsReadOnly);
        var copy = new string[2];
        set.CopyTo(copy, 1);
        Assert.Equal("Delta", copy[1]);
        Assert.Single(((System.Collections.IEnumerable)set).Cast<string>());
        set.Clear();
        Assert.Empty(set);
        Assert.False(set.Contains("Delta"));
    }

    // A null name matches no header, query parameter or property: Add says so, and a null in a collection is dropped
    // (the property list's quick check could not index one).
    [Fact]
    public void ANullNameIsRefusedOrDropped()
    {
        var headers = new NameSet(new[] { "Authorization", null! }, StringComparer.OrdinalIgnoreCase);
        var properties = new PropertyNameSet(new[] { "Password", null! });

        Assert.Equal("item", Assert.Throws<ArgumentNullException>(() => headers.Add(null!)).ParamName);
        Assert.Throws<ArgumentNullException>(() => ((ICollection<string>)properties).Add(null!));
        headers.UnionWith(new[] { null!, "Cookie" });
        properties.UnionWith(new[] { null!, "Secret" });
        properties.SymmetricExceptWith(new string[] { null! });

        Assert.Equal(new[] { "Authorization", "Cookie" }, headers.OrderBy(n => n, StringComparer.Ordinal));
        Assert.Equal(new[] { "Password", "Secret" }, properties.OrderBy(n => n, StringComparer.Ordinal));
        Assert.False(headers.Contains(null!));
        Assert.False(properties.Contains(null!));
        Assert.True(properties.Contains("secret"));
    }

    [Fact]
    public void AChangeDoesNotAlterWhatAReaderAlreadyEnumerates()
    {
        var set = new NameSet(new[] { "Alpha", "Beta" }, StringComparer.Ordinal);
        using var names = set.GetEnumerator();
        Assert.True(names.MoveNext());

        set.Add("Gamma");
        set.Remove("Alpha");

        // A HashSet changed under its enumerator throws here; the published copy is never changed.
        Assert.True(names.MoveNext());
        Assert.False(names.MoveNext());
        Assert.Equal(new[] { "Beta", "Gamma" }, set.OrderBy(n => n, StringComparer.Ordinal));
    }

    // Every name in one bucket: a lookup walks the whole chain, where a plain HashSet changed meanwhile misses a name
    // or throws (a removed entry's link then points into the free list). Measured: 4 runs in 5 missed, 1 threw.
    sealed class OneBucket : IEqualityComparer<string>
    {
        public bool Equals(string? x, string? y) => StringComparer.OrdinalIgnoreCase.Equals(x, y);

        public int GetHashCode(string name) => 1;
    }

    // A header name in the list must never look absent, even for a moment, while the application adds and removes
    // others, or its value is sent in clear.
    [Fact]
    public async Task ANameInTheSetIsNeverMissedWhileOthersAreAddedAndRemoved()
    {
        var set = new NameSet(new[] { "Authorization", "Cookie" }, new OneBucket());
        var names = Enumerable.Range(0, 64).Select(i => "X-Secret-" + i).ToArray();

        var (misses, thrown) = await ConcurrentLookups.WhileChangingAsync(() => set.Contains("authorization"), () =>
        {
            set.UnionWith(names);
            set.ExceptWith(names);
        });

        Assert.Null(thrown);
        Assert.Equal(0, misses);
    }
}
