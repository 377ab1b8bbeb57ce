using Distribution.Common;
using Distribution.Network;
using Distribution.Orders.Sourcing;

namespace Distribution.Inventory;

/// <summary>Availability of many SKUs, each location list ranked by distance to a ship-to when given.</summary>
// Reentrant: a call spends its time awaiting other grains; without it a silo serves only as
// many of these at once as it has cores (the stateless worker limit).
[StatelessWorker, Reentrant]
public sealed class AvailabilityQueryGrain : Grain, IAvailabilityQueryGrain
{
    public const int MaxSkus = 1000;

    public async Task<AvailabilityQueryResult> Query(IReadOnlyList<string>? skus, GeoPoint? shipTo)
    {
        var errors = new List<FieldError>();
        if (skus is not { Count: > 0 } || skus.Count > MaxSkus)
        {
            return new([], [], [new FieldError("skus", $"must list 1 to {MaxSkus} SKUs")]);
        }

        for (var i = 0; i < skus.Count; i++)
        {
            Identifiers.Check(errors, $"skus[{i}]", skus[i]);
        }

        if (shipTo is not null)
        {
            Geo.Check(errors, "shipTo", shipTo);
        }

        if (errors.Count > 0)
        {
            return new([], [], errors);
        }

        var results = await Task.WhenAll(skus.Distinct(StringComparer.Ordinal).Select(s => GrainFactory.GetGrain<ISkuGrain>(s).GetAvailability()));
        var found = results.OfType<SkuAvailability>().ToList();
        var known = found.Select(a => a.Sku).ToHashSet(StringComparer.Ordinal);
        var unknown = skus.Where(s => !known.Contains(s)).Distinct(StringComparer.Ordinal).ToList();
        if (shipTo is null)
        {
            return new(found, unknown, []);
        }

        var view = await GrainFactory.GetGrain<INetworkGrain>(INetworkGrain.Key).GetView();
        var distance = view.Warehouses.ToDictionary(
            w => w.WarehouseId,
            w => GeoDistance.Kilometres(shipTo, w.Location),
            StringComparer.Ordinal);
        var ranked = found.Select(a => a with
        {
            Locations = [.. a.Locations.OrderBy(l => distance.GetValueOrDefault(l.WarehouseId, double.MaxValue)).ThenBy(l => l.WarehouseId, StringComparer.Ordinal)],
        });
        return new([.. ranked], unknown, []);
    }
}
