using Distribution.Common;
using Distribution.Network;

namespace Distribution.Orders.Sourcing.Tests;

/// <summary>Builds sourcing inputs around a ship-to point; warehouses are placed due north at a given distance.</summary>
internal sealed class SourcingTestData
{
    public static readonly GeoPoint ShipTo = new(50.0, 10.0);

    /// <summary>Monday 2025-03-03 09:00 UTC: a working day, before every default cutoff.</summary>
    public static readonly DateTimeOffset MondayMorning = new(2025, 3, 3, 9, 0, 0, TimeSpan.Zero);

    public static readonly DateOnly Monday = new(2025, 3, 3);

    private readonly List<SourcingCandidate> _warehouses = [];
    private readonly Dictionary<(string WarehouseId, string Sku), int> _available = [];
    private readonly List<SourcingLine> _lines = [];

    public DateTimeOffset Now { get; set; } = MondayMorning;

    public bool AllowSplit { get; set; } = true;

    public bool AllowBackorder { get; set; }

    public static GeoPoint NorthOfShipTo(double km) => new(ShipTo.Latitude + (km / 111.195), ShipTo.Longitude);

    public static WarehouseInfo Warehouse(
        string id, double km, WarehouseStatus status = WarehouseStatus.Active, string timeZone = "UTC") =>
        new()
        {
            WarehouseId = id,
            Name = id,
            Location = NorthOfShipTo(km),
            Status = status,
            TimeZone = timeZone,
        };

    public SourcingTestData Wh(
        string id,
        double km,
        WarehouseStatus status,
        IEnumerable<DateOnly>? fullDates,
        params (string Sku, int Qty)[] stock)
    {
        _warehouses.Add(new SourcingCandidate(Warehouse(id, km, status), new HashSet<DateOnly>(fullDates ?? [])));
        foreach (var (sku, qty) in stock)
        {
            _available[(id, sku)] = qty;
        }

        return this;
    }

    public SourcingTestData Wh(string id, double km, params (string Sku, int Qty)[] stock) =>
        Wh(id, km, WarehouseStatus.Active, null, stock);

    public SourcingTestData Wh(string id, double km, WarehouseStatus status, params (string Sku, int Qty)[] stock) =>
        Wh(id, km, status, null, stock);

    public SourcingTestData Line(string lineId, string sku, int qty)
    {
        _lines.Add(new SourcingLine(lineId, sku, qty));
        return this;
    }

    public SourcingInput Build() => new()
    {
        Lines = _lines.ToArray(),
        ShipTo = ShipTo,
        AllowSplit = AllowSplit,
        AllowBackorder = AllowBackorder,
        Now = Now,
        Warehouses = _warehouses.ToArray(),
        Available = new Dictionary<(string WarehouseId, string Sku), int>(_available),
    };

    public SourcingPlan Plan() => SourcingPlanner.Plan(Build());
}

internal static class SourcingPlanExtensions
{
    public static int Allocated(this SourcingPlan plan, string lineId) =>
        plan.Allocations.Where(a => a.LineId == lineId).Sum(a => a.Quantity);

    public static int Allocated(this SourcingPlan plan, string lineId, string warehouseId) =>
        plan.Allocations.Where(a => a.LineId == lineId && a.WarehouseId == warehouseId).Sum(a => a.Quantity);

    public static string[] WarehousesUsed(this SourcingPlan plan) =>
        plan.Allocations.Select(a => a.WarehouseId).Distinct().Order(StringComparer.Ordinal).ToArray();
}
