namespace Distribution.Common;

/// <summary>
/// A keyed collection that remembers which keys changed since the storage last took them, so the
/// state holding it can implement <see cref="IHasStoredEntries"/>. Values are immutable records:
/// replace a value to change it.
/// </summary>
public sealed class StoredEntries<TValue>
    where TValue : class
{
    private readonly Dictionary<string, TValue> _entries = new(StringComparer.Ordinal);
    private readonly HashSet<string> _changed = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    public IEnumerable<TValue> Values => _entries.Values;

    public IEnumerable<KeyValuePair<string, TValue>> Pairs => _entries;

    public TValue this[string key]
    {
        get => _entries[key];
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            _entries[key] = value;
            _changed.Add(key);
        }
    }

    public bool ContainsKey(string key) => _entries.ContainsKey(key);

    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out TValue value) =>
        _entries.TryGetValue(key, out value);

    public TValue? GetValueOrDefault(string key) => _entries.GetValueOrDefault(key);

    public bool Remove(string key) => Remove(key, out _);

    public bool Remove(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out TValue value)
    {
        if (!_entries.Remove(key, out value))
        {
            return false;
        }

        _changed.Add(key);
        return true;
    }

    /// <inheritdoc cref="IHasStoredEntries.TakeChangedEntries"/>
    public IReadOnlyList<KeyValuePair<string, object?>> TakeChanges()
    {
        if (_changed.Count == 0)
        {
            return [];
        }

        var changes = new KeyValuePair<string, object?>[_changed.Count];
        var i = 0;
        foreach (var key in _changed)
        {
            changes[i++] = new(key, _entries.GetValueOrDefault(key));
        }

        _changed.Clear();
        return changes;
    }

    /// <summary>Replaces every entry with what storage holds; nothing counts as changed.</summary>
    public void Load(IEnumerable<KeyValuePair<string, object>> entries)
    {
        _entries.Clear();
        _changed.Clear();
        foreach (var (key, value) in entries)
        {
            _entries[key] = (TValue)value;
        }
    }
}
