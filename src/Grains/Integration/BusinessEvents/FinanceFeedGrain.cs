using Distribution.Common;
using Distribution.Integration.Webhooks;
using Microsoft.Extensions.Options;

namespace Distribution.Integration.BusinessEvents;

/// <summary>
/// The finance feed: every stock movement an ERP posts (shipments, receipts, adjustments, transfer
/// movements), appended in the order the warehouse event consumers hand them over (each warehouse's
/// in its journal order), numbered 1, 2, ... The number is the
/// cursor; it is stored with the entry, so it is the same after a restart. An event seen before
/// (by id) is not appended again. The oldest entries beyond <see cref="WebhookOptions.FinanceFeedCapacity"/> are dropped.
/// </summary>
[Reentrant]
public sealed class FinanceFeedGrain : Grain, IFinanceFeedGrain
{
    private readonly IPersistentState<FinanceFeedState> _state;
    private readonly CoalescedWriter _writer;
    private readonly WebhookOptions _options;
    private readonly List<FinanceFeedEntry> _ordered = [];
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);

    public FinanceFeedGrain(
        IPersistentStateFactory stateFactory,
        IGrainContext context,
        IOptions<WebhookOptions> options,
        ILogger<FinanceFeedGrain> logger)
    {
        _state = GrainStorage.Create<FinanceFeedState>(stateFactory, context, "financeFeed");
        _writer = CoalescedWriter.ForState(this, _state, logger);
        _options = options.Value;
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _ordered.AddRange(_state.State.Entries.Values.OrderBy(e => e.Sequence));
        _ids.UnionWith(_ordered.Select(e => e.Event.EventId));
        return Task.CompletedTask;
    }

    public async Task Consume(IReadOnlyList<BusinessEvent> events)
    {
        foreach (var e in events)
        {
            if (!BusinessEventTypes.Finance.Contains(e.Type) || !_ids.Add(e.EventId))
            {
                continue;
            }

            var entry = new FinanceFeedEntry { Sequence = ++_state.State.LastSequence, Event = e };
            _state.State.Entries[FinanceFeedState.KeyOf(entry.Sequence)] = entry;
            _ordered.Add(entry);
        }

        var excess = _ordered.Count - _options.FinanceFeedCapacity;
        if (excess > 0)
        {
            foreach (var old in _ordered.Take(excess))
            {
                _state.State.Entries.Remove(FinanceFeedState.KeyOf(old.Sequence));
                _ids.Remove(old.Event.EventId);
            }

            _ordered.RemoveRange(0, excess);
        }

        await _writer.WriteAsync();
    }

    public Task<FinanceFeedPage> Read(long after, int limit)
    {
        var start = FirstAfter(after);
        var items = _ordered.Skip(start).Take(limit).ToList();
        var next = items.Count > 0 ? items[^1].Sequence : after;
        return Task.FromResult(new FinanceFeedPage(items, next, start + items.Count < _ordered.Count));
    }

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
