using System.Text.Json;
using Distribution.Integration.BusinessEvents;
using Distribution.Orders;
using Distribution.Purchasing;

namespace Distribution.Integration.Edi;

/// <summary>
/// Writes the outbound documents that follow from business events, whatever channel the order or
/// purchase order came through: a 940 to each 3PL partner exchanging 940s whose warehouse an order
/// is allocated at (one per order and warehouse: a later allocation at the same warehouse, or the
/// same event again, writes nothing), and an 850 to each supplier partner exchanging 850s when a
/// purchase order of that supplier is sent (one per purchase order). Built from the event's data
/// (the state at the transition), not from a later read of the grain. One activation, one batch at
/// a time, so the outbox's "already holds it" check cannot race with itself. The bus stores these
/// events only while some partner takes 940s or 850s (<see cref="WantedTypes"/>), so without such
/// partners the order path pays no extra write.
/// </summary>
public sealed class EdiOutboundGrain(IGrainFactory grains, TimeProvider time, ILogger<EdiOutboundGrain> logger) : Grain, IEdiOutboundGrain
{
    public static readonly IReadOnlyCollection<string> EventTypes = [BusinessEventTypes.OrderAllocated, BusinessEventTypes.PurchaseOrderSent];

    /// <summary>The events worth storing on the bus for these partners: none while no partner takes 940s or 850s.</summary>
    public static IReadOnlyCollection<string> WantedTypes(IReadOnlyList<TradingPartner> partners) =>
    [
        .. partners.Any(IsShipper) ? [BusinessEventTypes.OrderAllocated] : Array.Empty<string>(),
        .. partners.Any(IsSupplier) ? [BusinessEventTypes.PurchaseOrderSent] : Array.Empty<string>(),
    ];

    private static bool IsShipper(TradingPartner p) => p.Role == TradingPartnerRole.Warehouse3pl && p.WarehouseId is not null && p.Documents.Contains("940");

    private static bool IsSupplier(TradingPartner p) => p.Role == TradingPartnerRole.Supplier && p.SupplierId is not null && p.Documents.Contains("850");

    public async Task Consume(IReadOnlyList<BusinessEvent> events)
    {
        var partners = await grains.GetGrain<ITradingPartnersGrain>(ITradingPartnersGrain.Key).List();
        var shippers = partners.Where(IsShipper).ToList();
        var suppliers = partners.Where(IsSupplier).ToList();
        foreach (var e in events)
        {
            try
            {
                await WriteAsync(e, shippers, suppliers);
            }
            catch (Exception error) when (error is JsonException or ArgumentException)
            {
                // A document that cannot be written (unreadable event data, a value X12 cannot carry)
                // will not become writable by retrying; holding it would stall the bus shard.
                logger.LogError(error, "No EDI document written for business event {EventId}", e.EventId);
            }
        }
    }

    private async Task WriteAsync(BusinessEvent e, List<TradingPartner> shippers, List<TradingPartner> suppliers)
    {
        if (e.Type == BusinessEventTypes.OrderAllocated && shippers.Count > 0)
        {
            var order = JsonSerializer.Deserialize<OrderView>(e.Payload, BusinessEventPayload.Json)!;
            foreach (var shipper in shippers)
            {
                // Once per allocation at the warehouse: a backorder allocated there later sends the
                // order again, whole, as a replacement of the one the 3PL holds.
                var units = order.Lines.Sum(l => l.Allocations.Where(a => a.WarehouseId == shipper.WarehouseId).Sum(a => a.Quantity));
                var reference = $"{order.OrderId}#{units}";
                var outbox = grains.GetGrain<IEdiOutboxGrain>(shipper.PartnerId);
                if (units == 0 || await outbox.Holds("940", reference))
                {
                    continue;
                }

                var replaces = await outbox.HoldsAny("940", $"{order.OrderId}#");
                if (OutboundDocuments.ShippingOrder940(order, shipper.WarehouseId!, replaces) is { } body)
                {
                    await PartnerOutbox.SendOnceAsync(grains, shipper, "940", reference, body, time.GetUtcNow());
                }
            }
        }
        else if (e.Type == BusinessEventTypes.PurchaseOrderSent && suppliers.Count > 0)
        {
            var purchaseOrder = JsonSerializer.Deserialize<PurchaseOrderView>(e.Payload, BusinessEventPayload.Json)!;
            foreach (var supplier in suppliers.Where(s => s.SupplierId == purchaseOrder.SupplierId))
            {
                await PartnerOutbox.SendOnceAsync(grains, supplier, "850", purchaseOrder.PurchaseOrderId, OutboundDocuments.PurchaseOrder850(purchaseOrder), time.GetUtcNow());
            }
        }
    }
}
