using System;
using System.Collections;
using System.Collections.Generic;

namespace Serilog.Sinks.LogTrace.Redaction;

// A set of property names (PropertyNameComparer) that answers "not in the set" for most names without hashing them:
// the sink asks it for every property name it writes. A name's first and last letters, folded as the comparer folds
// them and separators skipped, index a bit map of those of the names in the set; only a name whose pair is there is
// hashed and looked up. The map is rebuilt on every change, so it never misses a name added later.
sealed class PropertyNameSet : ISet<string>
{
    const int Bits = 32 * 32;

    // Read while records are formatted, on any thread, and changed by the application at any time: every change
    // builds a new lookup (names and bit map together) and publishes it at once, so a lookup never sees a map being
    // rebuilt, or a set being resized, and never misses a name that was in the set before and after the change.
    readonly object _lock = new();
    volatile Lookup _lookup;

    sealed class Lookup
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

    public PropertyNameSet(IEnumerable<string> names)
    {
        var set = new HashSet<string>(PropertyNameComparer.Instance);
        foreach (var name in names)
            set.Add(name);
        _lookup = new Lookup(set);
    }

    public bool Contains(string item)
    {
        var lookup = _lookup;
        return !RulesOut(lookup, item) && lookup.Names.Contains(item!);
    }

    // Whether the quick check alone answers "not in the set" for this name (for tests: it must never miss a name, and
    // should spare most names the full lookup).
    internal bool RulesOut(string item) => RulesOut(_lookup, item);

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

    // Applies a change to a copy of the names, then publishes the copy with its map.
    T Change<T>(Func<HashSet<string>, T> change)
    {
        lock (_lock)
        {
            var names = new HashSet<string>(_lookup.Names, PropertyNameComparer.Instance);
            var result = change(names);
            _lookup = new Lookup(names);
            return result;
        }
    }

    void Change(Action<HashSet<string>> change) => Change(names =>
    {
        change(names);
        return 0;
    });

    public bool Add(string item) => Change(names => names.Add(item));

    void ICollection<string>.Add(string item) => Add(item);

    public bool Remove(string item) => Change(names => names.Remove(item));

    public void Clear() => Change(names => names.Clear());

    public void UnionWith(IEnumerable<string> other) => Change(names => names.UnionWith(other));

    public void IntersectWith(IEnumerable<string> other) => Change(names => names.IntersectWith(other));

    public void ExceptWith(IEnumerable<string> other) => Change(names => names.ExceptWith(other));

    public void SymmetricExceptWith(IEnumerable<string> other) => Change(names => names.SymmetricExceptWith(other));

    public bool IsSubsetOf(IEnumerable<string> other) => _lookup.Names.IsSubsetOf(other);

    public bool IsSupersetOf(IEnumerable<string> other) => _lookup.Names.IsSupersetOf(other);

    public bool IsProperSupersetOf(IEnumerable<string> other) => _lookup.Names.IsProperSupersetOf(other);

    public bool IsProperSubsetOf(IEnumerable<string> other) => _lookup.Names.IsProperSubsetOf(other);

    public bool Overlaps(IEnumerable<string> other) => _lookup.Names.Overlaps(other);

    public bool SetEquals(IEnumerable<string> other) => _lookup.Names.SetEquals(other);

    public void CopyTo(string[] array, int arrayIndex) => _lookup.Names.CopyTo(array, arrayIndex);

    public int Count => _lookup.Names.Count;

    public bool IsReadOnly => false;

    public IEnumerator<string> GetEnumerator() => _lookup.Names.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
