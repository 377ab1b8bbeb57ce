namespace Distribution.Common;

/// <summary>
/// A keyed collection that remembers which keys changed since the storage last took them, so the
/// state holding it can implement <see cref="IHasStoredEntries"/>. Values are immutable records:
/// replace a value to change it. Nothing is allocated until the first entry: most of a million
/// SKU-locations hold no reservation at any moment.
/// </summary>
public sealed class StoredEntries<TValue>
    where TValue : class
{
    private Dictionary<string, TValue>? _entries;
    private HashSet<string>? _changed;

    public int Count => _entries?.Count ?? 0;

    public IEnumerable<TValue> Values => _entries?.Values ?? Enumerable.Empty<TValue>();

    public IEnumerable<KeyValuePair<string, TValue>> Pairs => _entries ?? Enumerable.Empty<KeyValuePair<string, TValue>>();

    public TValue this[string key]
    {
        get => _entries is not null ? _entries[key] : throw new KeyNotFoundException(key);
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            (_entries ??= new(StringComparer.Ordinal))[key] = value;
            MarkChanged(key);
        }
    }

    public bool ContainsKey(string key) => _entries?.ContainsKey(key) ?? false;

    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out TValue value)
    {
        value = null;
        return _entries?.TryGetValue(key, out value) ?? false;
    }

    public TValue? GetValueOrDefault(string key) => _entries?.GetValueOrDefault(key);

    public bool Remove(string key) => Remove(key, out _);

    public bool Remove(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out TValue value)
    {
        value = null;
        if (_entries is null || !_entries.Remove(key, out value))
        {
            return false;
        }

        MarkChanged(key);
        return true;
    }

    private void MarkChanged(string key) => (_changed ??= new(StringComparer.Ordinal)).Add(key);

    /// <inheritdoc cref="IHasStoredEntries.TakeChangedEntries"/>
    public IReadOnlyList<KeyValuePair<string, object?>> TakeChanges()
    {
        if (_changed is null || _changed.Count == 0)
        {
            return [];
        }

        var changes = new KeyValuePair<string, object?>[_changed.Count];
        var i = 0;
        foreach (var key in _changed)
        {
            changes[i++] = new(key, _entries?.GetValueOrDefault(key));
        }

        _changed = null;
        return changes;
    }

    /// <summary>Replaces every entry with what storage holds; nothing counts as changed.</summary>
    public void Load(IEnumerable<KeyValuePair<string, object>> entries)
    {
        _entries = null;
        _changed = null;
        foreach (var (key, value) in entries)
        {
            (_entries ??= new(StringComparer.Ordinal))[key] = (TValue)value;
        }
    }
}
