using System.Globalization;
using Distribution.Orders;
using Distribution.Purchasing;

namespace Distribution.Integration.Edi;

/// <summary>
/// The hub's outbound transaction sets (pure): 855 order acknowledgment to a customer, 940
/// warehouse shipping order to a 3PL, 850 purchase order to a supplier, each wrapped in an
/// interchange from the hub's address as the partner knows it. Products are sent qualified SK
/// (the hub's SKU) and lines by the hub's line ids (N9*LI), which is what the inbound mappings read back.
/// </summary>
public static class OutboundDocuments
{
    /// <summary>The functional id (GS01) of each set the hub writes.</summary>
    public static string FunctionalIdOf(string setId) => setId switch
    {
        "855" => "PR",
        "940" => "OW",
        "850" => "PO",
        "997" => "FA",
        _ => throw new ArgumentOutOfRangeException(nameof(setId), setId, "not a set the hub writes"),
    };

    /// <summary>An interchange from <paramref name="hub"/> to <paramref name="partner"/> holding one set.</summary>
    public static X12OutgoingInterchange Interchange(X12Party hub, X12Party partner, int controlNumber, DateTimeOffset at, string setId, IReadOnlyList<X12Segment> body) =>
        new(hub, partner, controlNumber, at,
            [new X12OutgoingGroup(FunctionalIdOf(setId), hub.Id, partner.Id, controlNumber, "004010", [new X12OutgoingSet(setId, 1, body)])]);

    /// <summary>
    /// 855: BAK (AD accepted as ordered, AC accepted with changes: something backordered, RJ
    /// rejected) with the customer's PO number; per line PO1 and one ACK per allocation (IA with the
    /// promised ship date, ACK04 = 068) and for what is backordered (IB) or rejected (IR).
    /// </summary>
    public static IReadOnlyList<X12Segment> OrderAcknowledgment855(OrderView order, string customerPoNumber)
    {
        var rejected = order.Status == OrderStatus.Rejected;
        var changed = order.Lines.Any(l => l.BackorderedQuantity > 0);
        var body = new List<X12Segment>
        {
            new("BAK", "00", rejected ? "RJ" : changed ? "AC" : "AD", customerPoNumber, Date(order.CreatedAt)),
        };
        foreach (var line in order.Lines)
        {
            body.Add(new("PO1", line.LineId, Number(line.Quantity), "EA", "", "", "SK", line.Sku));
            if (rejected)
            {
                body.Add(new("ACK", "IR", Number(line.Quantity), "EA"));
                continue;
            }

            foreach (var allocation in line.Allocations)
            {
                body.Add(new("ACK", "IA", Number(allocation.Quantity), "EA", "068", allocation.PromisedShipDate.ToString("yyyyMMdd", CultureInfo.InvariantCulture)));
            }

            if (line.BackorderedQuantity > 0)
            {
                body.Add(new("ACK", "IB", Number(line.BackorderedQuantity), "EA"));
            }
        }

        body.Add(new("CTT", Number(order.Lines.Count)));
        return body;
    }

    /// <summary>
    /// 940: W05 (N original, the order id as depositor order number), the ship-to as N1*ST with
    /// REF*GEO, G62*10 the earliest promised ship date, then per line allocated at the warehouse an
    /// LX loop with N9*LI (line id) and W01 (quantity, SK product); W76 the total. Null when nothing
    /// of the order is allocated there.
    /// </summary>
    /// <param name="replaces">A later allocation at the warehouse: the order replaces the one sent before (W05-01 R, not N), whole.</param>
    public static IReadOnlyList<X12Segment>? ShippingOrder940(OrderView order, string warehouseId, bool replaces = false)
    {
        var lines = order.Lines
            .Select(l => (Line: l, Allocations: l.Allocations.Where(a => a.WarehouseId == warehouseId).ToList()))
            .Where(l => l.Allocations.Count > 0)
            .ToList();
        if (lines.Count == 0)
        {
            return null;
        }

        var body = new List<X12Segment> { new("W05", replaces ? "R" : "N", order.OrderId, order.OrderId) };
        body.Add(new("N1", "ST", order.OrderId));
        if (order.ShipTo is { } shipTo)
        {
            body.Add(new("REF", "GEO", shipTo.Latitude.ToString(CultureInfo.InvariantCulture), shipTo.Longitude.ToString(CultureInfo.InvariantCulture)));
        }

        var shipDate = lines.SelectMany(l => l.Allocations).Min(a => a.PromisedShipDate);
        body.Add(new("G62", "10", shipDate.ToString("yyyyMMdd", CultureInfo.InvariantCulture)));
        var n = 0;
        foreach (var (line, allocations) in lines)
        {
            body.Add(new("LX", Number(++n)));
            body.Add(new("N9", "LI", line.LineId));
            body.Add(new("W01", Number(allocations.Sum(a => a.Quantity)), "EA", "", "SK", line.Sku));
        }

        body.Add(new("W76", Number(lines.Sum(l => l.Allocations.Sum(a => a.Quantity)))));
        return body;
    }

    /// <summary>
    /// 850 to a supplier: BEG with the purchase order id (which its 856 names in PRF01), the
    /// destination warehouse as N1*ST (qualifier 92, the hub's id), DTM*002 the expected arrival,
    /// PO1 per line (SK product), CTT.
    /// </summary>
    public static IReadOnlyList<X12Segment> PurchaseOrder850(PurchaseOrderView purchaseOrder)
    {
        var body = new List<X12Segment>
        {
            new("BEG", "00", "SA", purchaseOrder.PurchaseOrderId, "", Date(purchaseOrder.SentAt ?? purchaseOrder.CreatedAt)),
            new("DTM", "002", Date(purchaseOrder.ExpectedArrival)),
            new("N1", "ST", purchaseOrder.WarehouseId, "92", purchaseOrder.WarehouseId),
        };
        var n = 0;
        foreach (var line in purchaseOrder.Lines)
        {
            body.Add(new("PO1", Number(++n), Number(line.OrderedQuantity), "EA", "", "", "SK", line.Sku));
        }

        body.Add(new("CTT", Number(purchaseOrder.Lines.Count)));
        return body;
    }

    private static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
