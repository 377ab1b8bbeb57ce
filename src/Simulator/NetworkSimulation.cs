using System.Diagnostics;
using Distribution.Benchmark;
using Distribution.Common;
using Distribution.Events;
using Distribution.Gateway.Inventory;
using Distribution.Orders;

namespace Distribution.Simulator;

/// <summary>
/// Runs one policy over the simulated days against a fresh embedded hub: during the day the
/// customers' orders arrive through <c>POST /v1/orders</c>, at 18:00 the warehouses ship what is
/// promised for the day (a few a day late) through <c>POST /v1/events</c>, and at night the
/// network's stock is read for the report.
/// </summary>
internal sealed class NetworkSimulation(SimulationOptions options, SimulatedNetwork network)
{
    /// <summary>Business time starts on a Monday.</summary>
    public static readonly DateOnly FirstDay = new(2027, 1, 4);

    /// <summary>Trucks leave at 18:00, after the 16:00 cutoff, with everything promised for today.</summary>
    private const double ShipHour = 18;

    private readonly List<Shipment> _due = [];
    private readonly Dictionary<(string OrderId, string LineId, string WarehouseId, string? InboundSource), int> _scheduled = [];
    private readonly Dictionary<string, HashSet<string>> _waiting = new(StringComparer.Ordinal);
    private int _eventCounter;

    public async Task<SimulationResult> RunAsync(PolicySpec policy)
    {
        var stopwatch = Stopwatch.StartNew();
        var clock = new SimulationClock(At(FirstDay, 6));
        await using var hub = await EmbeddedHub.StartAsync(clock);
        using var http = new HttpClient { BaseAddress = hub.Address, Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Add("X-Api-Key", hub.AdminKey);
        var api = new HubApi(http);
        ConsoleStatus.Update($"[{policy.Name}] loading the network ...");
        await network.SeedAsync(api, policy, clock.GetUtcNow());

        var days = new List<SimulatedDay>(options.Days);
        var replenishment = new ReplenishmentPlayer(api);
        const string runId = "SIM"; // each run has its own hub, so the same ids (and the same slips) in every run
        for (var d = 0; d < options.Days; d++)
        {
            var date = FirstDay.AddDays(d);

            // Mornings: transfers arrive and leave before any order, and backorders the arrivals
            // woke are collected, so the day's orders always meet the same stock.
            clock.AdvanceTo(At(date, 6));
            await replenishment.ShipAsync(At(date, 6));
            await replenishment.SupplyAsync(date, At(date, 6));
            clock.AdvanceTo(At(date, 7));
            var arrived = await replenishment.ReceiveAsync(date, At(date, 7));
            await hub.SettleAsync(network.Skus);
            await CollectWokenBackordersAsync(api, arrived);

            var orders = network.Demand.OrdersFor(FirstDay, d, runId);
            var placed = await PlaceAsync(api, clock, date, orders);

            clock.AdvanceTo(At(date, ShipHour));
            var (shipped, onTime) = await ShipDueAsync(api, date);

            clock.AdvanceTo(At(date, 20));
            await hub.SettleAsync(network.Skus);
            await replenishment.ReviewAsync();

            clock.AdvanceTo(At(date, 22));
            await hub.SettleAsync(network.Skus);
            var (onHand, stockedOut) = await ReadStockAsync(api);
            days.Add(placed with { Date = date, LinesShipped = shipped, LinesShippedOnTime = onTime, OnHand = onHand, StockedOut = stockedOut });
            ConsoleStatus.Update(
                $"[{policy.Name}] day {d + 1}/{options.Days}  {date:yyyy-MM-dd}  orders {placed.Orders:N0}  fill {placed.FillRate:P1}  " +
                $"on-hand {onHand:N0}  stocked-out SKU-locations {stockedOut:N0}  ({stopwatch.Elapsed:mm\\:ss})");
        }

        ConsoleStatus.Line($"[{policy.Name}] {options.Days} days in {stopwatch.Elapsed:mm\\:ss}");
        return new SimulationResult(policy.Name, days, network.Skus.Count * network.Warehouses.Count, stopwatch.Elapsed)
        {
            Transfers = replenishment.Transfers,
            Purchases = replenishment.Purchases,
        };
    }

    private static DateTimeOffset At(DateOnly date, double hour) =>
        new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddHours(hour);

    /// <summary>
    /// Places the day's orders between 08:00 and 18:00 as the day's clock moves on, in waves of up
    /// to 16 in flight whose orders share no SKU: orders that compete for stock go one after the
    /// other, in the demand's order, so a seed always gives the same allocations.
    /// </summary>
    private async Task<SimulatedDay> PlaceAsync(HubApi api, SimulationClock clock, DateOnly date, IReadOnlyList<OrderRequest> orders)
    {
        int unitsOrdered = 0, filled = 0, backordered = 0;
        var shipments = new List<Shipment>();
        var placed = 0;
        foreach (var wave in Waves(orders))
        {
            clock.AdvanceTo(At(date, 8 + (10.0 * placed / Math.Max(1, orders.Count))));
            placed += wave.Count;
            var views = await Task.WhenAll(wave.Select(o => api.PostAsync<OrderRequest, OrderView>("/v1/orders", o)));
            foreach (var view in views)
            {
                var lineUnits = view.Lines.Sum(l => l.Quantity);
                // Filled at once: from stock on hand; units promised from inbound wait like a backorder, with a date.
                var lineFilled = view.Lines.Sum(l => l.Allocations.Where(a => a.InboundSource is null).Sum(a => a.Quantity));
                unitsOrdered += lineUnits;
                filled += lineFilled;
                backordered += lineFilled < lineUnits ? 1 : 0;
                shipments.AddRange(NewShipments(view));
            }
        }

        _due.AddRange(shipments);
        return new SimulatedDay { Date = date, Orders = orders.Count, UnitsOrdered = unitsOrdered, UnitsFilledAtOnce = filled, OrdersBackordered = backordered };
    }

    /// <summary>
    /// The warehouses ship every allocation promised for today or earlier; a share of them
    /// (drawn per shipment from the seed) slips by a day, which the promise accuracy shows.
    /// </summary>
    private async Task<(int Shipped, int OnTime)> ShipDueAsync(HubApi api, DateOnly date)
    {
        var today = new List<Shipment>();
        foreach (var s in _due.Where(s => s.PromisedShipDate <= date))
        {
            var late = s.PromisedShipDate == date && Slips(s);
            if (!late)
            {
                today.Add(s);
            }
        }

        var leaving = today.ToHashSet();
        _due.RemoveAll(leaving.Contains);
        var events = today.Select(s => new WarehouseEventRequest
        {
            EventId = $"ship-{Interlocked.Increment(ref _eventCounter)}-{s.OrderId}-{s.LineId}-{s.WarehouseId}",
            WarehouseId = s.WarehouseId,
            Type = nameof(WarehouseEventType.Shipped),
            Sku = s.Sku,
            Quantity = s.Quantity,
            OrderId = s.OrderId,
            LineId = s.LineId,
            OccurredAt = At(date, ShipHour),
        }).ToList();
        foreach (var batch in events.Chunk(EventLimits.MaxBatchSize))
        {
            await api.PostAsync<EventBatchRequest, EventBatchResult>("/v1/events", new EventBatchRequest { Events = batch });
        }

        return (today.Count, today.Count(s => s.PromisedShipDate >= date));
    }

    /// <summary>
    /// The allocations of an order not yet handed to a warehouse (all of them at placement; those a
    /// woken backorder got later), and whether it still waits for stock.
    /// </summary>
    private IEnumerable<Shipment> NewShipments(OrderView view)
    {
        var shipments = new List<Shipment>();
        foreach (var line in view.Lines)
        {
            foreach (var a in line.Allocations)
            {
                var key = (view.OrderId, line.LineId, a.WarehouseId, a.InboundSource);
                var fresh = a.Quantity - _scheduled.GetValueOrDefault(key);
                if (fresh > 0)
                {
                    _scheduled[key] = a.Quantity;
                    shipments.Add(new Shipment(view.OrderId, line.LineId, line.Sku, a.WarehouseId, fresh, a.PromisedShipDate));
                }
            }
        }

        var waitingFor = view.Lines.Where(l => l.BackorderedQuantity > 0).Select(l => l.Sku).ToHashSet(StringComparer.Ordinal);
        if (waitingFor.Count > 0)
        {
            _waiting[view.OrderId] = waitingFor;
        }
        else
        {
            _waiting.Remove(view.OrderId);
        }

        return shipments;
    }

    /// <summary>
    /// Stock that arrived wakes backordered lines inside the hub; once the woken orders are done
    /// (each arrived SKU has no backorder left, or nothing available), the orders waiting for
    /// those SKUs are read for their new allocations, which then ship like any other.
    /// </summary>
    private async Task CollectWokenBackordersAsync(HubApi api, IReadOnlySet<string> arrived)
    {
        if (arrived.Count == 0 || _waiting.Count == 0)
        {
            return;
        }

        var deadline = DateTime.UtcNow.AddSeconds(5);
        foreach (var chunk in arrived.Order(StringComparer.Ordinal).Chunk(1000))
        {
            while (DateTime.UtcNow < deadline)
            {
                var answer = await api.PostAsync<AvailabilityQueryBody, AvailabilityQueryResponse>("/v1/availability/query", new AvailabilityQueryBody(chunk, null));
                if (answer.Items.All(a => a.Backordered == 0 || a.Total.Available == 0))
                {
                    break;
                }

                await Task.Delay(20);
            }
        }

        var woken = _waiting.Where(w => w.Value.Overlaps(arrived)).Select(w => w.Key).Order(StringComparer.Ordinal).ToList();
        foreach (var orderId in woken)
        {
            if (await api.GetAsync<OrderView>($"/v1/orders/{orderId}") is { } view)
            {
                _due.AddRange(NewShipments(view));
            }
        }
    }

    private static IEnumerable<List<OrderRequest>> Waves(IReadOnlyList<OrderRequest> orders)
    {
        const int MaxInFlight = 16;
        var wave = new List<OrderRequest>(MaxInFlight);
        var skus = new HashSet<string>(StringComparer.Ordinal);
        foreach (var order in orders)
        {
            if (wave.Count == MaxInFlight || order.Lines!.Any(l => skus.Contains(l.Sku!)))
            {
                yield return wave;
                wave = new List<OrderRequest>(MaxInFlight);
                skus.Clear();
            }

            wave.Add(order);
            skus.UnionWith(order.Lines!.Select(l => l.Sku!));
        }

        if (wave.Count > 0)
        {
            yield return wave;
        }
    }

    private bool Slips(Shipment s) =>
        // A stable hash: string.GetHashCode would change the slips from one process to the next.
        new Random(unchecked((int)StableStringHash.Of($"{options.Seed}|{s.OrderId}|{s.LineId}|{s.WarehouseId}"))).NextDouble() < options.LateShare;

    /// <summary>Reads availability of every SKU (1,000 per query): total on-hand and SKU-locations with nothing available.</summary>
    private async Task<(long OnHand, int StockedOut)> ReadStockAsync(HubApi api)
    {
        long onHand = 0;
        var stockedOut = 0;
        foreach (var chunk in network.Skus.Chunk(1000))
        {
            var answer = await api.PostAsync<AvailabilityQueryBody, AvailabilityQueryResponse>(
                "/v1/availability/query", new AvailabilityQueryBody(chunk, null));
            foreach (var item in answer.Items)
            {
                onHand += item.Total.OnHand;
                stockedOut += network.Warehouses.Count - item.Locations.Count(l => l.Available > 0);
            }
        }

        return (onHand, stockedOut);
    }

    private sealed record Shipment(string OrderId, string LineId, string Sku, string WarehouseId, int Quantity, DateOnly PromisedShipDate);
}
