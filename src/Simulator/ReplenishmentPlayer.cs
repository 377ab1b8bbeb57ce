using Distribution.Events;
using Distribution.Gateway.Replenishment;
using Distribution.Purchasing;
using Distribution.Replenishment;
using Distribution.Transfers;

namespace Distribution.Simulator;

/// <summary>
/// Plays what replenishment sets in motion: each evening the hub's network pass runs (automatic
/// policies create transfers and purchase orders at once); the next morning each new transfer's
/// source ships it and each supplier acknowledges its purchase order; a supplier sends its ship
/// notice the day before the expected arrival; destinations receive on the day of the ETA.
/// Counts transfers and purchases for the report.
/// </summary>
internal sealed class ReplenishmentPlayer(HubApi api)
{
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private readonly List<TransferView> _toShip = [];
    private readonly List<(TransferView Transfer, DateOnly Day)> _toReceive = [];
    private readonly List<(PurchaseOrderView Order, DateOnly Acknowledge, DateOnly Ship, DateOnly Receive)> _purchases = [];

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
                if (await api.GetAsync<PurchaseOrderView>($"/v1/purchase-orders/{r.RecommendationId}") is { } order)
                {
                    var created = DateOnly.FromDateTime(order.CreatedAt.UtcDateTime);
                    var arrival = DateOnly.FromDateTime(order.ExpectedArrival.UtcDateTime);
                    var ship = Max(created.AddDays(1), arrival.AddDays(-1));
                    _purchases.Add((order, created.AddDays(1), ship, Max(arrival, ship.AddDays(1))));
                }

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

    /// <summary>Suppliers acknowledge new purchase orders and send ship notices for those due to leave.</summary>
    public async Task SupplyAsync(DateOnly today, DateTimeOffset at)
    {
        foreach (var (order, acknowledge, ship, receive) in _purchases.OrderBy(p => p.Order.PurchaseOrderId, StringComparer.Ordinal))
        {
            if (acknowledge == today)
            {
                await api.PostAsync<object?>($"/v1/purchase-orders/{order.PurchaseOrderId}/acknowledge", null);
            }

            if (ship == today)
            {
                await api.PostAsync($"/v1/purchase-orders/{order.PurchaseOrderId}/ship", new ShipNoticeRequest
                {
                    Lines = [.. order.Lines.Select(l => new PurchaseOrderLineRequest { Sku = l.Sku, Quantity = l.OrderedQuantity })],
                    Eta = new DateTimeOffset(receive.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddHours(6),
                });
            }
        }
    }

    /// <summary>Destinations receive what is due today; returns the SKUs that arrived.</summary>
    public async Task<IReadOnlySet<string>> ReceiveAsync(DateOnly today, DateTimeOffset at)
    {
        var due = _toReceive.Where(r => r.Day <= today).ToList();
        _toReceive.RemoveAll(r => r.Day <= today);
        var events = due.SelectMany(r => r.Transfer.Lines.Select(l =>
            Event(WarehouseEventType.TransferReceived, r.Transfer.ToWarehouseId, r.Transfer, l.Sku, l.Quantity, at))).ToList();
        var arriving = _purchases.Where(p => p.Receive <= today).OrderBy(p => p.Order.PurchaseOrderId, StringComparer.Ordinal).ToList();
        _purchases.RemoveAll(p => p.Receive <= today);
        events.AddRange(arriving.SelectMany(p => p.Order.Lines.Select(l => new WarehouseEventRequest
        {
            EventId = $"PurchaseReceived-{p.Order.PurchaseOrderId}-{l.Sku}",
            WarehouseId = p.Order.WarehouseId,
            Type = nameof(WarehouseEventType.PurchaseReceived),
            Sku = l.Sku,
            Quantity = l.OrderedQuantity,
            PurchaseOrderId = p.Order.PurchaseOrderId,
            OccurredAt = at,
        })));
        await PostAsync(events);
        return events.Select(e => e.Sku!).ToHashSet(StringComparer.Ordinal);
    }

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;

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
