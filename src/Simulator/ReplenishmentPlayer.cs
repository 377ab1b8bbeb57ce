using Distribution.Events;
using Distribution.Gateway.Replenishment;
using Distribution.Replenishment;
using Distribution.Transfers;

namespace Distribution.Simulator;

/// <summary>
/// Plays what replenishment sets in motion: each evening the hub's network pass runs (automatic
/// policies create transfers at once), the next morning each new transfer's source ships it, and on
/// the day of its ETA the destination receives it. Counts transfers and purchases for the report.
/// </summary>
internal sealed class ReplenishmentPlayer(HubApi api)
{
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private readonly List<TransferView> _toShip = [];
    private readonly List<(TransferView Transfer, DateOnly Day)> _toReceive = [];

    public int Transfers { get; private set; }

    public int Purchases { get; private set; }

    /// <summary>Runs a network pass and picks up what it approved (automatic mode).</summary>
    public async Task ReviewAsync()
    {
        await api.PostAsync<object?, ReviewSummary>("/v1/replenishment/review", null);
        var approved = await api.GetAsync<RecommendationList>("/v1/replenishment/recommendations?status=approved");
        foreach (var r in approved!.Items.OrderBy(r => r.RecommendationId, StringComparer.Ordinal))
        {
            if (!_known.Add(r.RecommendationId))
            {
                continue;
            }

            if (r.Kind == RecommendationKind.Purchase)
            {
                Purchases++;
                continue;
            }

            Transfers++;
            if (await api.GetAsync<TransferView>($"/v1/transfers/{r.RecommendationId}") is { Status: TransferStatus.Requested } transfer)
            {
                _toShip.Add(transfer);
            }
        }
    }

    /// <summary>Sources ship yesterday's transfers; each is due at its destination on the day of its ETA.</summary>
    public async Task ShipAsync(DateTimeOffset at)
    {
        if (_toShip.Count == 0)
        {
            return;
        }

        var events = new List<WarehouseEventRequest>();
        foreach (var t in _toShip)
        {
            events.AddRange(t.Lines.Select(l => Event(WarehouseEventType.TransferShipped, t.FromWarehouseId, t, l.Sku, l.Quantity, at)));
            _toReceive.Add((t, DateOnly.FromDateTime(at.UtcDateTime.AddDays(t.TransitDays))));
        }

        _toShip.Clear();
        await PostAsync(events);
    }

    /// <summary>Destinations receive what is due today; returns the SKUs that arrived.</summary>
    public async Task<IReadOnlySet<string>> ReceiveAsync(DateOnly today, DateTimeOffset at)
    {
        var due = _toReceive.Where(r => r.Day <= today).ToList();
        _toReceive.RemoveAll(r => r.Day <= today);
        var events = due.SelectMany(r => r.Transfer.Lines.Select(l =>
            Event(WarehouseEventType.TransferReceived, r.Transfer.ToWarehouseId, r.Transfer, l.Sku, l.Quantity, at))).ToList();
        await PostAsync(events);
        return events.Select(e => e.Sku!).ToHashSet(StringComparer.Ordinal);
    }

    private static WarehouseEventRequest Event(WarehouseEventType type, string warehouseId, TransferView t, string sku, int quantity, DateTimeOffset at) => new()
    {
        EventId = $"{type}-{t.TransferId}-{sku}",
        WarehouseId = warehouseId,
        Type = type.ToString(),
        Sku = sku,
        Quantity = quantity,
        TransferId = t.TransferId,
        OccurredAt = at,
    };

    private async Task PostAsync(List<WarehouseEventRequest> events)
    {
        foreach (var batch in events.Chunk(EventLimits.MaxBatchSize))
        {
            await api.PostAsync<EventBatchRequest, EventBatchResult>("/v1/events", new EventBatchRequest { Events = batch });
        }
    }
}
