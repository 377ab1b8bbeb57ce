using System.Net;
using System.Net.Http.Json;

namespace Distribution.Tests;

/// <summary>What the cluster tests check after a run: orders as stored, and stock against what orders hold.</summary>
public static class OrderChecks
{
    /// <summary>Reads every order (404 = never stored) once none is still allocating.</summary>
    public static async Task<Dictionary<string, OrderDto>> SettledOrdersAsync(HttpClient http, IReadOnlyList<string> ids)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var found = new Dictionary<string, OrderDto>();
            foreach (var chunk in ids.Chunk(32))
            {
                var responses = await Task.WhenAll(chunk.Select(async id => (id, response: await http.GetAsync($"/v1/orders/{id}"))));
                foreach (var (id, response) in responses)
                {
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        found[id] = (await response.Content.ReadFromJsonAsync<OrderDto>())!;
                    }
                    else
                    {
                        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                    }
                }
            }

            var allocating = found.Values.Count(o => o.Status == "allocating");
            if (allocating == 0)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{allocating} order(s) still allocating");
            await Task.Delay(1000);
        }
    }

    /// <summary>
    /// At every location of <paramref name="skus"/>: reserved ≤ on-hand, and reserved equals the
    /// units <paramref name="orders"/> hold there.
    /// </summary>
    public static async Task AssertReservationsMatchOrdersAsync(HttpClient http, IEnumerable<string> skus, IEnumerable<OrderDto> orders)
    {
        var held = orders
            .Where(o => o.Status != "cancelled")
            .SelectMany(o => o.Lines.SelectMany(l => l.Allocations.Select(a => (a.WarehouseId, l.Sku, a.Quantity))))
            .GroupBy(x => (x.WarehouseId, x.Sku))
            .ToDictionary(g => g.Key, g => g.Sum(x => x.Quantity));
        foreach (var sku in skus)
        {
            var availability = (await http.GetFromJsonAsync<AvailabilityDto>($"/v1/availability/{sku}"))!;
            foreach (var location in availability.Locations)
            {
                var position = await http.GetStringAsync($"/v1/warehouses/{location.WarehouseId}/skus/{sku}");
                Assert.True(location.Reserved <= location.OnHand, $"{sku}@{location.WarehouseId}: reserved {location.Reserved} > on-hand {location.OnHand}");
                Assert.True(
                    held.GetValueOrDefault((location.WarehouseId, sku)) == location.Reserved,
                    $"{sku}@{location.WarehouseId}: reserved {location.Reserved}, orders hold {held.GetValueOrDefault((location.WarehouseId, sku))}; location: {position}\n"
                    + string.Join("\n", orders.Where(o => o.Lines.Any(l => l.Sku == sku)).Select(Describe)));
            }
        }
    }

    /// <summary>
    /// What was acknowledged is still held: backordered lines may have been filled since (stock
    /// freed by rolled-back allocations wakes them), but no acknowledged allocation went away.
    /// </summary>
    public static void AssertStillHolds(OrderDto acknowledged, OrderDto stored)
    {
        Assert.Equal(acknowledged.Lines.Select(l => (l.LineId, l.Sku)), stored.Lines.Select(l => (l.LineId, l.Sku)));
        foreach (var (ack, now) in acknowledged.Lines.Zip(stored.Lines))
        {
            foreach (var allocation in ack.Allocations)
            {
                var held = now.Allocations.Where(a => a.WarehouseId == allocation.WarehouseId).Sum(a => a.Quantity);
                Assert.True(held >= allocation.Quantity, $"{acknowledged.OrderId} line {ack.LineId}: acknowledged {Describe(acknowledged)}, stored {Describe(stored)}");
            }

            Assert.True(now.BackorderedQuantity <= ack.BackorderedQuantity, $"{acknowledged.OrderId}: acknowledged {Describe(acknowledged)}, stored {Describe(stored)}");
        }
    }

    public static string Describe(OrderDto o) =>
        $"{o.OrderId}|{o.Status}|" + string.Join(";", o.Lines.Select(l =>
            $"{l.LineId}:{l.Sku}:{l.BackorderedQuantity}:" + string.Join(",", l.Allocations.Select(a => $"{a.WarehouseId}={a.Quantity}@{a.PromisedShipDate}"))));
}

public sealed record OrderDto(string OrderId, string Status, IReadOnlyList<LineDto> Lines);

public sealed record LineDto(string LineId, string Sku, int BackorderedQuantity, IReadOnlyList<AllocationDto> Allocations);

public sealed record AllocationDto(string WarehouseId, int Quantity, string PromisedShipDate);

public sealed record AvailabilityDto(string Sku, IReadOnlyList<LocationDto> Locations);

public sealed record LocationDto(string WarehouseId, int OnHand, int Reserved);
