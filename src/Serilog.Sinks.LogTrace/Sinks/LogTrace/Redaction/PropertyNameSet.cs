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

    readonly HashSet<string> _names = new(PropertyNameComparer.Instance);
    readonly ulong[] _pairs = new ulong[Bits / 64];
    // A name of separators only has no letters to index it: such a name in the set makes every lookup a full one.
    bool _lettersless;

    public PropertyNameSet(IEnumerable<string> names)
    {
        foreach (var name in names)
            _names.Add(name);
        Rebuild();
    }

    public bool Contains(string item)
    {
        if (item != null && Pair(item) is var pair and >= 0 && !_lettersless && (_pairs[pair >> 6] & (1UL << pair)) == 0)
            return false;
        return _names.Contains(item!);
    }

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

    void Rebuild()
    {
        System.Array.Clear(_pairs, 0, _pairs.Length);
        _lettersless = false;
        foreach (var name in _names)
        {
            var pair = Pair(name);
            if (pair < 0)
                _lettersless = true;
            else
                _pairs[pair >> 6] |= 1UL << pair;
        }
    }

    public bool Add(string item)
    {
        var added = _names.Add(item);
        Rebuild();
        return added;
    }

    void ICollection<string>.Add(string item) => Add(item);

    public bool Remove(string item)
    {
        var removed = _names.Remove(item);
        Rebuild();
        return removed;
    }

    public void Clear()
    {
        _names.Clear();
        Rebuild();
    }

    public void UnionWith(IEnumerable<string> other)
    {
        _names.UnionWith(other);
        Rebuild();
    }

    public void IntersectWith(IEnumerable<string> other)
    {
        _names.IntersectWith(other);
        Rebuild();
    }

    public void ExceptWith(IEnumerable<string> other)
    {
        _names.ExceptWith(other);
        Rebuild();
    }

    public void SymmetricExceptWith(IEnumerable<string> other)
    {
        _names.SymmetricExceptWith(other);
        Rebuild();
    }

    public bool IsSubsetOf(IEnumerable<string> other) => _names.IsSubsetOf(other);

    public bool IsSupersetOf(IEnumerable<string> other) => _names.IsSupersetOf(other);

    public bool IsProperSupersetOf(IEnumerable<string> other) => _names.IsProperSupersetOf(other);

    public bool IsProperSubsetOf(IEnumerable<string> other) => _names.IsProperSubsetOf(other);

    public bool Overlaps(IEnumerable<string> other) => _names.Overlaps(other);

    public bool SetEquals(IEnumerable<string> other) => _names.SetEquals(other);

    public void CopyTo(string[] array, int arrayIndex) => _names.CopyTo(array, arrayIndex);

    public int Count => _names.Count;

    public bool IsReadOnly => false;

    public IEnumerator<string> GetEnumerator() => _names.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
