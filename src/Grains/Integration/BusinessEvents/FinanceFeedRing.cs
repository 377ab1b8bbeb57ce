using Distribution.Common;

namespace Distribution.Integration.BusinessEvents;

/// <summary>
/// The finance feed's entries: the newest <c>capacity</c> in sequence order, each stored in a slot
/// (its sequence modulo the capacity), so an append overwrites the entry it evicts and a full feed
/// writes one stored entry per movement instead of inserting one and deleting another. Duplicates
/// (by event id) among the kept entries are not appended again.
/// </summary>
public sealed class FinanceFeedRing
{
    private readonly FinanceFeedState _state;
    private readonly int _capacity;
    private readonly List<FinanceFeedEntry> _ordered;
    private readonly HashSet<string> _ids;

    /// <summary>
    /// Takes the stored entries as loaded. Entries stored another way (one key per sequence, as
    /// feeds were stored before, or slots of another capacity) are moved to their slots, and those
    /// beyond the capacity dropped, as changes of the state.
    /// </summary>
    public FinanceFeedRing(FinanceFeedState state, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _state = state;
        _capacity = capacity;
        var stored = state.Entries.Pairs.OrderBy(p => p.Value.Sequence).ToList();
        var kept = stored.Skip(Math.Max(0, stored.Count - capacity)).ToList();
        // All misplaced keys out first: a kept entry's slot may hold another entry still to move.
        var misplaced = kept.Where(p => p.Key != SlotKey(p.Value.Sequence)).ToList();
        foreach (var (key, _) in stored.Take(stored.Count - kept.Count).Concat(misplaced))
        {
            state.Entries.Remove(key);
        }

        foreach (var (_, entry) in misplaced)
        {
            state.Entries[SlotKey(entry.Sequence)] = entry;
        }

        _ordered = [.. kept.Select(p => p.Value)];
        _ids = new HashSet<string>(_ordered.Select(e => e.Event.EventId), StringComparer.Ordinal);
    }

    /// <summary>The kept entries, oldest first.</summary>
    public IReadOnlyList<FinanceFeedEntry> Entries => _ordered;

    /// <summary>Appends the event with the next sequence unless it is kept already; false for a duplicate.</summary>
    public bool Append(BusinessEvent e)
    {
        if (!_ids.Add(e.EventId))
        {
            return false;
        }

        var entry = new FinanceFeedEntry { Sequence = ++_state.LastSequence, Event = e };
        _state.Entries[SlotKey(entry.Sequence)] = entry;
        _ordered.Add(entry);
        return true;
    }

    /// <summary>Forgets the entries the appends since the last call overwrote (call once per batch of appends).</summary>
    public void Evict()
    {
        var excess = _ordered.Count - _capacity;
        if (excess <= 0)
        {
            return;
        }

        foreach (var old in _ordered.Take(excess))
        {
            _ids.Remove(old.Event.EventId);
        }

        _ordered.RemoveRange(0, excess);
    }

    /// <summary>Up to <paramref name="limit"/> entries after the cursor <paramref name="after"/>.</summary>
    public FinanceFeedPage Read(long after, int limit)
    {
        var start = FirstAfter(after);
        var items = _ordered.Skip(start).Take(limit).ToList();
        var next = items.Count > 0 ? items[^1].Sequence : after;
        return new FinanceFeedPage(items, next, start + items.Count < _ordered.Count);
    }

    /// <summary>The stored key of the entry with <paramref name="sequence"/>.</summary>
    public string SlotKey(long sequence) => $"feed@{sequence % _capacity:D10}";

    /// <summary>Index of the first entry with a sequence above <paramref name="after"/> (entries are in sequence order).</summary>
    private int FirstAfter(long after)
    {
        int lo = 0, hi = _ordered.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (_ordered[mid].Sequence <= after)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
