using Serilog.Sinks.LogTrace.Redaction;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Formatting;

// The sensitive property names: one name however it is spelt, and a quick "no" that never misses a name added later.
public class PropertyNameSetTests
{
    // The set's own lookup (the one the sink makes), not a scan by the default comparer.
    static bool In(PropertyNameSet set, string name) => set.Contains(name);

    [Theory]
    [InlineData("PasswordHash", "password_hash")]
    [InlineData("PasswordHash", "PASSWORD-HASH")]
    [InlineData("PasswordHash", "_password__hash_")]
    [InlineData("Émile", "émile")]
    [InlineData("", "-_")]
    public void NamesCompareIgnoringCaseAndSeparators(string x, string y)
    {
        Assert.True(PropertyNameComparer.Instance.Equals(x, y));
        Assert.Equal(PropertyNameComparer.Instance.GetHashCode(x), PropertyNameComparer.Instance.GetHashCode(y));
    }

    [Theory]
    [InlineData("PasswordHash", "PasswordHas")]
    [InlineData("Token", "Tokens")]
    [InlineData("ab", "a.b")]
    [InlineData("Ab", null)]
    public void OtherNamesDiffer(string x, string? y)
    {
        Assert.False(PropertyNameComparer.Instance.Equals(x, y));
        Assert.False(PropertyNameComparer.Instance.Equals(y, x));
        if (y != null)
            Assert.NotEqual(PropertyNameComparer.Instance.GetHashCode(x), PropertyNameComparer.Instance.GetHashCode(y));
    }

    [Fact]
    public void TwoNullsAreEqual() => Assert.True(PropertyNameComparer.Instance.Equals(null, null));

    [Fact]
    public void ANameAddedOrRemovedLaterIsSeenAtOnce()
    {
        var set = new PropertyNameSet(new[] { "Password" });
        Assert.False(In(set, "tax_id"));
        Assert.True(set.Add("TaxId"));
        Assert.False(set.Add("tax-id"));
        Assert.True(In(set, "tax_id"));
        Assert.True(set.Remove("TAXID"));
        Assert.False(set.Remove("TaxId"));
        Assert.False(In(set, "TaxId"));
        ((ICollection<string>)set).Add("Iban");
        Assert.True(In(set, "iban"));
        set.Clear();
        Assert.False(In(set, "Password"));
        Assert.Empty(set);
    }

    // Two names of the set with the same first and last letters share one bit of the quick check: the second must not
    // clear the first's.
    [Fact]
    public void TwoNamesOfTheSetSharingTheirLettersAreBothFound()
    {
        var set = new PropertyNameSet(new[] { "Alpha", "Aroma", "Token", "IdToken", "AccessToken" });

        Assert.True(In(set, "alpha"));
        Assert.True(In(set, "AROMA"));
        Assert.True(In(set, "access_token"));
        Assert.False(set.RulesOut("Alpha"));
        Assert.False(set.RulesOut("Aroma"));
    }

    [Fact]
    public void NamesSharingTheirFirstAndLastLettersAreStillComparedWhole()
    {
        var set = new PropertyNameSet(new[] { "Password" });
        // p...d, like Password: past the quick check, then compared whole.
        Assert.False(In(set, "Paid"));
        Assert.True(In(set, "_password_"));
        Assert.False(In(set, "Passwore"));
        Assert.False(In(set, "Qassword"));
        Assert.False(In(set, ""));
        Assert.False(In(set, "__"));
    }

    [Fact]
    public void ANameOfSeparatorsOnlyIsFoundToo()
    {
        var set = new PropertyNameSet(new[] { "_" });
        Assert.True(In(set, "-"));
        Assert.True(In(set, ""));
        Assert.False(In(set, "a"));
        set.Remove("__");
        Assert.False(In(set, "-"));
        Assert.False(In(set, "x"));
    }

    [Fact]
    public void EverySetOperationKeepsTheQuickCheckTrue()
    {
        var set = new PropertyNameSet(new[] { "Alpha", "Beta" });
        set.UnionWith(new[] { "Gamma" });
        Assert.True(In(set, "gamma"));
        set.IntersectWith(new[] { "alpha", "gamma" });
        Assert.False(In(set, "Beta"));
        Assert.True(In(set, "Alpha"));
        set.ExceptWith(new[] { "ALPHA" });
        Assert.False(In(set, "Alpha"));
        set.SymmetricExceptWith(new[] { "Gamma", "Delta" });
        Assert.False(In(set, "Gamma"));
        Assert.True(In(set, "delta"));
        set.Add("Epsilon");
        Assert.Equal(2, set.Count);
        set.Remove("Epsilon");
        Assert.Equal(new[] { "Delta" }, set.ToArray());

        Assert.True(set.IsSubsetOf(new[] { "delta", "x" }));
        Assert.True(set.IsProperSubsetOf(new[] { "delta", "x" }));
        Assert.True(set.IsSupersetOf(new[] { "DELTA" }));
        Assert.False(set.IsProperSupersetOf(new[] { "DELTA" }));
        Assert.True(set.Overlaps(new[] { "de_lta" }));
        Assert.True(set.SetEquals(new[] { "Delta" }));
        Assert.False(set.IsReadOnly);
        var copy = new string[2];
        set.CopyTo(copy, 1);
        Assert.Equal("Delta", copy[1]);
        Assert.Single(((System.Collections.IEnumerable)set).Cast<string>());
    }

    // The list is read while records are formatted: a name added meanwhile (LogTraceRedaction.SensitiveProperties.Add)
    // must never make a name already in it look absent, even for a moment, or its value is sent in clear.
    [Fact]
    public async Task ANameInTheSetIsNeverMissedWhileAnotherIsAddedAndRemoved()
    {
        var set = new PropertyNameSet(new[] { "Password", "PasswordHash", "SecurityStamp", "Token", "ApiKey", "Cvv", "Pin" });

        var (misses, thrown) = await ConcurrentLookups.WhileChangingAsync(() => set.Contains("password_hash"), () =>
        {
            set.Add("TaxId");
            set.Remove("TaxId");
        });

        Assert.Null(thrown);
        Assert.Equal(0, misses);
    }

    [Fact]
    public void TheDefaultListIsTheSameSetThroughThePublicProperty()
    {
        Assert.Same(LogTraceRedaction.SensitivePropertySet, LogTraceRedaction.SensitiveProperties);
        Assert.True(LogTraceRedaction.IsSensitiveProperty("security_stamp"));
        Assert.False(LogTraceRedaction.IsSensitiveProperty("UserName"));
        Assert.False(LogTraceRedaction.IsSensitiveProperty("EventName"));
    }

    // The quick check itself: it spares the full lookup for a name whose first and last letters no name in the set has,
    // and only for such a name.
    [Theory]
    [InlineData("Plan", true)]          // P..n: the set has P..d only
    [InlineData("Pad", false)]          // P..d
    [InlineData("_p-D_", false)]        // P..d once folded and separators skipped
    [InlineData("Ad", true)]            // the first letter differs
    [InlineData("Pa", true)]            // the last letter differs
    [InlineData("--", false)]           // no letters: never ruled out
    public void TheQuickCheckRulesOutOnlyNamesWhoseLettersNoNameHas(string name, bool ruledOut)
    {
        var set = new PropertyNameSet(new[] { "Password" });

        Assert.Equal(ruledOut, set.RulesOut(name));
    }

    [Fact]
    public void TheQuickCheckTellsEveryLetterPairApart()
    {
        // One name in the set: of all 26 x 26 letter pairs, exactly that name's is let through.
        var set = new PropertyNameSet(new[] { "kx" });
        var through = new List<string>();
        for (var first = 'a'; first <= 'z'; first++)
        {
            for (var last = 'a'; last <= 'z'; last++)
            {
                var name = first.ToString() + "mid" + last;
                if (!set.RulesOut(name))
                    through.Add(name);
            }
        }

        Assert.Equal(new[] { "kmidx" }, through);
    }

    [Fact]
    public void ANameWithoutLettersInTheSetStopsTheQuickCheckUntilItIsRemoved()
    {
        var set = new PropertyNameSet(new[] { "Password" });
        Assert.True(set.RulesOut("Plan"));

        set.Add("__");
        Assert.False(set.RulesOut("Plan"));

        set.Remove("__");
        Assert.True(set.RulesOut("Plan"));
    }

    [Fact]
    public void ANameTakenOutNoLongerLetsItsLettersThrough()
    {
        var set = new PropertyNameSet(new[] { "Password", "Token" });
        Assert.False(set.RulesOut("Pad"));

        set.ExceptWith(new[] { "password" });
        Assert.True(set.RulesOut("Pad"));
        Assert.False(set.RulesOut("Tn"));

        set.IntersectWith(new[] { "Other" });
        Assert.True(set.RulesOut("Tn"));

        set.SymmetricExceptWith(new[] { "Secret" });
        Assert.False(set.RulesOut("St"));
        set.Clear();
        Assert.True(set.RulesOut("St"));
        set.UnionWith(new[] { "Cvv" });
        Assert.False(set.RulesOut("Cv"));
    }

    [Fact]
    public void ANullNameIsNotRuledOutByTheQuickCheck()
    {
        // The full lookup answers for null as the comparer does.
        Assert.False(new PropertyNameSet(new[] { "Password" }).RulesOut(null!));
    }
}
