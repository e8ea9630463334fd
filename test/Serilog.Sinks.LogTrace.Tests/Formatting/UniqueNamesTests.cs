using Serilog.Events;
using Serilog.Sinks.LogTrace.Records;

namespace Serilog.Sinks.LogTrace.Tests.Formatting;

// UniqueNames on its own: when a value can repeat a name (so the writers take the slower path), the numbering, the
// nesting of objects, and the sets let go after a very large object.
public class UniqueNamesTests
{
    static readonly TextSanitizer Text = new(Support.Some.ApiKey, 16_384);

    static StructureValue Structure(params string[] names) =>
        new(names.Select((n, i) => new LogEventProperty(n, new ScalarValue(i))));

    static DictionaryValue Dictionary(params object?[] keys) =>
        new(keys.Select(k => new KeyValuePair<ScalarValue, LogEventPropertyValue>(new ScalarValue(k), new ScalarValue(1))));

    [Fact]
    public void DistinctPlainNamesCannotRepeat()
    {
        Assert.False(UniqueNames.MayRepeat(Structure("Id", "Name", "Total"), Text, typeTagName: null));
        Assert.False(UniqueNames.MayRepeat(Structure(Enumerable.Range(0, 16).Select(i => "M" + i).ToArray()), Text, typeTagName: null));
        Assert.False(UniqueNames.MayRepeat(Structure("Id"), Text, typeTagName: "$type"));
        Assert.False(UniqueNames.MayRepeat(Dictionary("a", "b", "c"), Text));
    }

    [Fact]
    public void ARepeatedNameANameCleaningChangesOrTheTypeTagsNameCanRepeat()
    {
        Assert.True(UniqueNames.MayRepeat(Structure("Id", "Name", "Id"), Text, typeTagName: null));
        Assert.True(UniqueNames.MayRepeat(Structure("Id", "Id"), Text, typeTagName: null));
        Assert.True(UniqueNames.MayRepeat(Structure("Id", "a\uD800"), Text, typeTagName: null));
        Assert.True(UniqueNames.MayRepeat(Structure("Id", "$type"), Text, typeTagName: "$type"));
        Assert.True(UniqueNames.MayRepeat(Dictionary("a", 1), Text));
        Assert.True(UniqueNames.MayRepeat(Dictionary("a", "k\uDC00"), Text));
        Assert.True(UniqueNames.MayRepeat(Dictionary("x" + Support.Some.ApiKey), Text));
    }

    [Fact]
    public void PastSixteenMembersAStructureIsCheckedThroughTheSet()
    {
        Assert.True(UniqueNames.MayRepeat(Structure(Enumerable.Range(0, 17).Select(i => "M" + i).ToArray()), Text, typeTagName: null));
    }

    [Fact]
    public void ANameTakenTwiceInOneObjectIsNumberedAndEachObjectHasItsOwnNames()
    {
        var names = new UniqueNames();
        names.Begin();
        Assert.Equal("a", names.Take("a"));
        names.Begin();
        Assert.Equal("a", names.Take("a"));
        names.End();
        Assert.Equal("a (2)", names.Take("a"));
        Assert.Equal("a (3)", names.Take("a"));
        names.End();

        names.Begin();
        Assert.Equal("a", names.Take("a"));
        names.End();
        Assert.Equal(0, names.Depth);
    }

    [Fact]
    public void AResetClosesEveryObjectLeftOpen()
    {
        var names = new UniqueNames();
        names.Begin();
        names.Take("a");
        names.Begin();

        names.Reset();

        Assert.Equal(0, names.Depth);
        names.Begin();
        Assert.Equal("a", names.Take("a"));
    }

    [Fact]
    public void AnObjectOfMoreThan256NamesLetsItsSetGoAndOneOf256KeepsIt()
    {
        var names = new UniqueNames();
        names.Begin();
        for (var i = 0; i < 256; i++)
            names.Take("n" + i);
        names.End();
        Assert.Equal(0, names.Replaced);

        names.Begin();
        for (var i = 0; i < 257; i++)
            names.Take("n" + i);
        names.End();
        Assert.Equal(1, names.Replaced);

        names.Begin();
        Assert.Equal("n0", names.Take("n0"));
    }
}
