using System;
using System.Collections;
using System.Collections.Generic;

namespace Serilog.Sinks.LogTrace.Redaction;

// A set of names the sink reads for every record, on any thread, while the application may change it at any time
// (LogTraceRedaction's lists are public and mutable). Every change copies the names, changes the copy, and publishes
// it with what the subclass derives from it (its snapshot) in one write: a reader never sees a set being resized or
// a snapshot half built, and never misses a name that was in the set before and after the change. Changes are rare
// (at startup) and serialised by a lock; reads take none.
abstract class CopyOnWriteSet<TSnapshot> : ISet<string>
    where TSnapshot : class
{
    readonly object _lock = new();
    readonly IEqualityComparer<string> _comparer;
    volatile TSnapshot _snapshot;

    protected CopyOnWriteSet(IEnumerable<string> names, IEqualityComparer<string> comparer)
    {
        _comparer = comparer;
        var set = new HashSet<string>(names, comparer);
        set.Remove(null!);
        _snapshot = Build(set);
    }

    // What readers use: published whole, never changed afterwards.
    protected TSnapshot Snapshot => _snapshot;

    // Builds a snapshot over `names`, which it may keep (nobody changes them afterwards). Called in the constructor:
    // it must not use the subclass's fields.
    protected abstract TSnapshot Build(HashSet<string> names);

    // The names a snapshot was built over.
    protected abstract HashSet<string> NamesOf(TSnapshot snapshot);

    HashSet<string> Names => NamesOf(_snapshot);

    public abstract bool Contains(string item);

    // A null name matches nothing: Add refuses one, and one that comes in a collection (UnionWith) is not kept.
    T Change<T>(Func<HashSet<string>, T> change)
    {
        lock (_lock)
        {
            var names = new HashSet<string>(Names, _comparer);
            var result = change(names);
            names.Remove(null!);
            _snapshot = Build(names);
            return result;
        }
    }

    void Change(Action<HashSet<string>> change) => Change(names =>
    {
        change(names);
        return 0;
    });

    public bool Add(string item) => item == null ? throw new ArgumentNullException(nameof(item)) : Change(names => names.Add(item));

    void ICollection<string>.Add(string item) => Add(item);

    public bool Remove(string item) => Change(names => names.Remove(item));

    public void Clear() => Change(names => names.Clear());

    public void UnionWith(IEnumerable<string> other) => Change(names => names.UnionWith(other));

    public void IntersectWith(IEnumerable<string> other) => Change(names => names.IntersectWith(other));

    public void ExceptWith(IEnumerable<string> other) => Change(names => names.ExceptWith(other));

    public void SymmetricExceptWith(IEnumerable<string> other) => Change(names => names.SymmetricExceptWith(other));

    public bool IsSubsetOf(IEnumerable<string> other) => Names.IsSubsetOf(other);

    public bool IsSupersetOf(IEnumerable<string> other) => Names.IsSupersetOf(other);

    public bool IsProperSupersetOf(IEnumerable<string> other) => Names.IsProperSupersetOf(other);

    public bool IsProperSubsetOf(IEnumerable<string> other) => Names.IsProperSubsetOf(other);

    public bool Overlaps(IEnumerable<string> other) => Names.Overlaps(other);

    public bool SetEquals(IEnumerable<string> other) => Names.SetEquals(other);

    public void CopyTo(string[] array, int arrayIndex) => Names.CopyTo(array, arrayIndex);

    public int Count => Names.Count;

    public bool IsReadOnly => false;

    public IEnumerator<string> GetEnumerator() => Names.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

// A name set with nothing derived from its names: LogTraceRedaction's header and query parameter lists.
sealed class NameSet : CopyOnWriteSet<HashSet<string>>
{
    public NameSet(IEnumerable<string> names, IEqualityComparer<string> comparer) : base(names, comparer) { }

    public override bool Contains(string item) => Snapshot.Contains(item);

    protected override HashSet<string> Build(HashSet<string> names) => names;

    protected override HashSet<string> NamesOf(HashSet<string> snapshot) => snapshot;
}
