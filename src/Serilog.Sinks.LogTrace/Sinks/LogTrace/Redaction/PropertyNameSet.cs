using System;
using System.Collections.Generic;

namespace Serilog.Sinks.LogTrace.Redaction;

// A set of property names (PropertyNameComparer) that answers "not in the set" for most names without hashing them:
// the sink asks it for every property name it writes. A name's first and last letters, folded as the comparer folds
// them and separators skipped, index a bit map of those of the names in the set; only a name whose pair is there is
// hashed and looked up. The map is rebuilt on every change, so it never misses a name added later.
sealed class PropertyNameSet : CopyOnWriteSet<PropertyNameSet.Lookup>
{
    const int Bits = 32 * 32;

    // The names and their bit map, published together (CopyOnWriteSet): a lookup never sees a map being rebuilt.
    internal sealed class Lookup
    {
        public readonly HashSet<string> Names;
        public readonly ulong[] Pairs = new ulong[Bits / 64];
        // A name of separators only has no letters to index it: such a name in the set makes every lookup a full one.
        public readonly bool Lettersless;

        public Lookup(HashSet<string> names)
        {
            Names = names;
            foreach (var name in names)
            {
                var pair = Pair(name);
                if (pair < 0)
                    Lettersless = true;
                else
                    Pairs[pair >> 6] |= 1UL << pair;
            }
        }
    }

    public PropertyNameSet(IEnumerable<string> names) : base(names, PropertyNameComparer.Instance) { }

    protected override Lookup Build(HashSet<string> names) => new(names);

    protected override HashSet<string> NamesOf(Lookup snapshot) => snapshot.Names;

    public override bool Contains(string item)
    {
        var lookup = Snapshot;
        return !RulesOut(lookup, item) && lookup.Names.Contains(item!);
    }

    // Whether the quick check alone answers "not in the set" for this name (for tests: it must never miss a name, and
    // should spare most names the full lookup).
    internal bool RulesOut(string item) => RulesOut(Snapshot, item);

    static bool RulesOut(Lookup lookup, string? item) =>
        item != null && Pair(item) is var pair and >= 0 && !lookup.Lettersless && (lookup.Pairs[pair >> 6] & (1UL << pair)) == 0;

    // The index of the name's first and last letters (each folded to 5 bits), or -1 for a name of separators only.
    static int Pair(string name)
    {
        int first = 0, last = name.Length - 1;
        while (first <= last && PropertyNameComparer.IsSeparator(name[first]))
            first++;
        if (first > last)
            return -1;
        while (PropertyNameComparer.IsSeparator(name[last]))
            last--;
        return (PropertyNameComparer.Fold(name[first]) & 31) << 5 | (PropertyNameComparer.Fold(name[last]) & 31);
    }
}
