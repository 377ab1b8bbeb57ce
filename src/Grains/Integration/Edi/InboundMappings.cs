using Distribution.Common;
using Distribution.Events;
using Distribution.Inventory;
using Distribution.Orders;
using Distribution.Purchasing;

namespace Distribution.Integration.Edi;

/// <summary>What a mapping knows of the partner that sent the document.</summary>
/// <param name="WarehouseId">The warehouse a 3PL partner operates (945, 944, 846 happen there).</param>
/// <param name="DefaultShipTo">Where a customer's orders ship when an 850 carries no <c>REF*GEO</c> in its ship-to loop.</param>
public sealed record EdiPartnerContext(string PartnerId, string? WarehouseId = null, GeoPoint? DefaultShipTo = null);

/// <summary>A transaction set mapped to a canonical request, where each field came from, and what was wrong.</summary>
public sealed record X12Mapped<T>(T? Value, X12SourceMap Source, IReadOnlyList<X12SegmentError> Errors) where T : class
{
    public bool Succeeded => Value is not null && Errors.Count == 0;
}

/// <summary>A supplier's ship notice for one purchase order (an 856 may carry several orders).</summary>
public sealed record PurchaseOrderShipNotice(string PurchaseOrderId, ShipNoticeRequest Notice);

/// <summary>
/// Inbound transaction sets → the hub's canonical requests (pure). Each mapping checks what the
/// request cannot do without and points errors at segment and element; everything else (unknown
/// SKUs, quantities against stock, …) is left to the grains, whose errors <see cref="X12SourceMap"/>
/// points back at the segment.
/// </summary>
public static class InboundMappings
{
    /// <summary>The canonical order id of a customer's purchase order: partner id, ':' and BEG03, so two customers' PO numbers never collide.</summary>
    public static string OrderIdFor(string partnerId, string purchaseOrderNumber) => $"{partnerId}:{purchaseOrderNumber}";

    /// <summary>
    /// 850 purchase order from a customer → an order. BEG03 is the customer's PO number, BEG05 its
    /// date, DTM*002 the requested delivery date. Ship-to: <c>REF*GEO*{latitude}*{longitude}</c>
    /// inside the N1*ST loop, else the partner's default ship-to. PO1: line id (PO101), quantity
    /// (PO102), product id qualified SK/VN/VP/BP (PO106/PO107 …). CTT01, when sent, must count the PO1s.
    /// Orders from EDI allow splitting and backorders.
    /// </summary>
    public static X12Mapped<OrderRequest> Order850(X12TransactionSet set, EdiPartnerContext partner)
    {
        var x = new X12Elements(set);
        var beg = x.Required("BEG", 2, "beginning segment for purchase order");
        var source = new X12SourceMap(beg ?? set.St);
        string? poNumber = null;
        if (beg is not null)
        {
            x.Code(beg, 1, "transaction set purpose", "00");
            poNumber = x.Identifier(beg, 3, "purchase order number");
            x.Date(beg, 5, "purchase order date");
            source.Add("orderId", beg, 3);
        }

        DateOnly? delivery = null;
        if (x.First("DTM", "002") is { } dtm)
        {
            delivery = x.Date(dtm, 2, "requested delivery date");
            source.Add("requestedDeliveryDate", dtm, 2);
        }

        var shipTo = ShipTo(x, set, partner, source);
        var lines = new List<OrderLineRequest>();
        var po1s = set.Body.Where(s => s.Id == "PO1").ToList();
        if (po1s.Count == 0)
        {
            x.Missing("PO1", set.Body.Count + 1, "PO1 (baseline item data) is required: at least one line");
        }

        foreach (var po1 in po1s)
        {
            var path = $"lines[{lines.Count}]";
            var lineId = x.Identifier(po1, 1, "line id");
            var quantity = x.Quantity(po1, 2, "quantity ordered");
            var (sku, skuElement) = x.Product(po1, 6, 10, "product id");
            source.Add(path, po1);
            source.Add($"{path}.lineId", po1, 1);
            source.Add($"{path}.quantity", po1, 2);
            source.Add($"{path}.sku", po1, skuElement);
            lines.Add(new OrderLineRequest { LineId = lineId, Sku = sku, Quantity = quantity ?? 0 });
        }

        source.Add("lines", po1s.FirstOrDefault() ?? beg ?? set.St);
        CheckLineCount(x, set, po1s.Count);
        if (poNumber is not null && !Identifiers.IsValid(OrderIdFor(partner.PartnerId, poNumber)))
        {
            x.Fail(beg!, 3, X12ElementErrorCode.TooLong, $"BEG03 (purchase order number) is too long: the order id '{partner.PartnerId}:' + BEG03 must be at most {Identifiers.MaxLength} characters");
        }

        if (x.Errors.Count > 0 || poNumber is null)
        {
            return new(null, source, x.Errors);
        }

        var order = new OrderRequest
        {
            OrderId = OrderIdFor(partner.PartnerId, poNumber),
            Channel = $"edi:{partner.PartnerId}",
            ShipTo = shipTo,
            Lines = lines,
            AllowSplit = true,
            AllowBackorder = true,
            RequestedDeliveryDate = delivery,
        };
        return new(order, source, x.Errors);
    }

    /// <summary>
    /// 856 ship notice from a supplier → a ship notice per purchase order. BSN02 is the shipment id;
    /// DTM*017 (estimated delivery, with an optional time) at shipment level is the ETA (absent: the
    /// hub's default, one day after the notice). Each order level (HL03 = O) names the purchase order
    /// in PRF01; each item level (HL03 = I) under it carries LIN (product id qualified SK/VN/VP/BP)
    /// and SN1 (SN102 units shipped). One SKU shipped in several packs is summed.
    /// </summary>
    public static X12Mapped<IReadOnlyList<(PurchaseOrderShipNotice Notice, X12SourceMap Source)>> ShipNotice856(X12TransactionSet set)
    {
        var x = new X12Elements(set);
        var bsn = x.Required("BSN", 2, "beginning segment for ship notice");
        var header = new X12SourceMap(bsn ?? set.St);
        if (bsn is not null)
        {
            x.Code(bsn, 1, "transaction set purpose", "00");
            x.Text(bsn, 2, "shipment id");
            x.Date(bsn, 3, "date");
            x.Time(bsn, 4, "time");
        }

        DateTimeOffset? eta = null;
        X12Segment? etaSegment = null;
        if (x.First("DTM", "017") is { } dtm)
        {
            eta = x.Instant(dtm, 2, 3, "estimated delivery");
            etaSegment = dtm;
        }

        var orders = new List<(string? Id, X12Segment Prf, List<(string Sku, int Quantity, X12Segment Lin, int SkuElement, X12Segment Sn1)> Items)>();
        string level = "";
        X12Segment? pendingLin = null;
        (string? Sku, int Element) pendingSku = default;
        var hls = 0;
        foreach (var segment in set.Body)
        {
            switch (segment.Id)
            {
                case "HL":
                    hls++;
                    if (pendingLin is not null)
                    {
                        x.Missing("SN1", segment.Position, $"SN1 (item detail, units shipped) is required after the LIN at {pendingLin.Position}");
                        pendingLin = null;
                    }

                    level = segment[3];
                    if (level is not ("S" or "O" or "I" or "P" or "T"))
                    {
                        x.Fail(segment, 3, X12ElementErrorCode.InvalidCode, "HL03 (hierarchical level) must be S, O, T, P or I");
                    }

                    break;
                case "PRF" when level == "O":
                    orders.Add((x.Identifier(segment, 1, "purchase order number"), segment, []));
                    break;
                case "LIN" when level == "I":
                    pendingLin = segment;
                    pendingSku = x.Product(segment, 2, 5, "product id");
                    break;
                case "SN1" when level == "I":
                    var quantity = x.Quantity(segment, 2, "units shipped");
                    if (pendingLin is null)
                    {
                        x.Missing("LIN", segment.Position, "LIN (item identification) is required before SN1");
                    }
                    else if (orders.Count == 0)
                    {
                        x.Missing("PRF", segment.Position, "an item must be under an order level (HL*…*O) carrying PRF (purchase order number)");
                    }
                    else if (pendingSku.Sku is { } sku && quantity is { } q)
                    {
                        orders[^1].Items.Add((sku, q, pendingLin, pendingSku.Element, segment));
                    }

                    pendingLin = null;
                    break;
            }
        }

        if (pendingLin is not null)
        {
            x.Missing("SN1", set.Body.Count + 1, $"SN1 (item detail, units shipped) is required after the LIN at {pendingLin.Position}");
        }

        if (hls == 0)
        {
            x.Missing("HL", (bsn?.Position ?? 1) + 1, "HL (hierarchical level) is required: a shipment, its orders and their items");
        }
        else if (orders.Count == 0)
        {
            x.Missing("PRF", set.Body.Count + 1, "an order level (HL*…*O) with PRF (purchase order number) is required");
        }

        foreach (var order in orders.Where(o => o.Items.Count == 0))
        {
            x.Missing("LIN", order.Prf.Position + 1, $"the order level of PRF at {order.Prf.Position} ships no item (HL*…*I with LIN and SN1)");
        }

        if (x.Errors.Count > 0)
        {
            return new(null, header, x.Errors);
        }

        var notices = new List<(PurchaseOrderShipNotice, X12SourceMap)>();
        foreach (var order in orders)
        {
            var source = new X12SourceMap(order.Prf);
            source.Add("purchaseOrderId", order.Prf, 1);
            source.Add("status", order.Prf, 1);
            if (etaSegment is not null)
            {
                source.Add("eta", etaSegment, 2);
            }

            var lines = new List<PurchaseOrderLineRequest>();
            foreach (var group in order.Items.GroupBy(i => i.Sku, StringComparer.Ordinal))
            {
                var first = group.First();
                source.Add($"lines[{lines.Count}]", first.Lin);
                source.Add($"lines[{lines.Count}].sku", first.Lin, first.SkuElement);
                source.Add($"lines[{lines.Count}].quantity", first.Sn1, 2);
                lines.Add(new PurchaseOrderLineRequest { Sku = group.Key, Quantity = group.Sum(i => i.Quantity) });
            }

            notices.Add((new PurchaseOrderShipNotice(order.Id!, new ShipNoticeRequest { Lines = lines, Eta = eta }), source));
        }

        return new(notices, header, x.Errors);
    }

    /// <summary>
    /// 945 warehouse shipping advice from a 3PL → one <c>Shipped</c> event per W12 line at the
    /// partner's warehouse. W0602 is the order id (the hub's, as its 940 sent it), W0604 the
    /// shipment id; G62*11 (shipped on, with an optional time) or else W0603 is when. Each LX loop
    /// is one order line: its line id is N9*LI's N902, else LX01; W1203 the units shipped and
    /// W1207/W1208 the product (SK/VN/VP/BP). Event ids are <c>{partner}:945:{W0604}:{n}</c> (n: the
    /// W12's ordinal), so the same advice sent again in a new interchange is recognised.
    /// </summary>
    public static X12Mapped<IReadOnlyList<WarehouseEventRequest>> ShippingAdvice945(X12TransactionSet set, EdiPartnerContext partner)
    {
        var x = new X12Elements(set);
        var w06 = x.Required("W06", 2, "warehouse shipment identification");
        var source = new X12SourceMap(w06 ?? set.St);
        string? orderId = null, shipmentId = null;
        DateTimeOffset? at = null;
        if (w06 is not null)
        {
            orderId = x.Identifier(w06, 2, "depositor order number, the hub's order id");
            var date = x.Date(w06, 3, "date");
            shipmentId = x.Identifier(w06, 4, "shipment id");
            at = date is { } d ? new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null;
            source.Add("events", w06);
        }

        X12Segment? atSegment = w06;
        if (x.First("G62", "11") is { } g62)
        {
            at = x.Instant(g62, 2, 4, "shipped date");
            atSegment = g62;
        }

        var events = new List<WarehouseEventRequest>();
        string? lineId = null;
        X12Segment? lineSegment = null;
        var lineElement = 1;
        foreach (var segment in set.Body)
        {
            switch (segment.Id)
            {
                case "LX":
                    lineId = segment[1].Trim().Length > 0 ? segment[1].Trim() : null;
                    lineSegment = segment;
                    lineElement = 1;
                    break;
                case "N9" when segment[1] == "LI" && lineSegment is not null:
                    lineId = x.Identifier(segment, 2, "order line id");
                    lineSegment = segment;
                    lineElement = 2;
                    break;
                case "W12":
                    if (lineSegment is null)
                    {
                        x.Missing("LX", segment.Position, "a W12 must be inside an LX loop (the order line)");
                        break;
                    }

                    if (lineId is not null && !Identifiers.IsValid(lineId))
                    {
                        x.Fail(lineSegment, lineElement, X12ElementErrorCode.InvalidCharacter, "the order line id must be a hub identifier");
                    }

                    var quantity = x.Quantity(segment, 3, "units shipped");
                    var (sku, skuElement) = x.Product(segment, 7, 1, "product id");
                    var path = $"events[{events.Count}]";
                    source.Add(path, segment);
                    source.Add($"{path}.sku", segment, skuElement);
                    source.Add($"{path}.quantity", segment, 3);
                    source.Add($"{path}.lineId", lineSegment, lineElement);
                    if (w06 is not null)
                    {
                        source.Add($"{path}.orderId", w06, 2);
                        source.Add($"{path}.eventId", w06, 4);
                    }

                    if (atSegment is not null)
                    {
                        source.Add($"{path}.occurredAt", atSegment, atSegment.Id == "G62" ? 2 : 3);
                    }

                    events.Add(new WarehouseEventRequest
                    {
                        EventId = $"{partner.PartnerId}:945:{shipmentId}:{events.Count + 1}",
                        WarehouseId = partner.WarehouseId,
                        Type = nameof(WarehouseEventType.Shipped),
                        Sku = sku,
                        Quantity = quantity ?? 0,
                        OrderId = orderId,
                        LineId = lineId,
                        OccurredAt = at,
                    });
                    break;
            }
        }

        if (events.Count == 0 && w06 is not null)
        {
            x.Missing("W12", set.Body.Count + 1, "W12 (warehouse item detail) is required: at least one shipped line in an LX loop");
        }

        return x.Errors.Count > 0 ? new(null, source, x.Errors) : new(events, source, x.Errors);
    }

    /// <summary>
    /// 944 warehouse stock transfer receipt advice from a 3PL → one receipt event per W07 at the
    /// partner's warehouse. W1702 is the receipt date (G62*09 with a time overrides it), W1703 the
    /// warehouse receipt number. The header's N9 says what arrived: <c>N9*PO*{purchaseOrderId}</c> →
    /// <c>PurchaseReceived</c>, <c>N9*TR*{transferId}</c> → <c>TransferReceived</c>. W0701 units
    /// received, W0704/W0705 the product (SK/VN/VP/BP). Event ids are <c>{partner}:944:{W1703}:{n}</c>.
    /// </summary>
    public static X12Mapped<IReadOnlyList<WarehouseEventRequest>> StockReceipt944(X12TransactionSet set, EdiPartnerContext partner)
    {
        var x = new X12Elements(set);
        var w17 = x.Required("W17", 2, "warehouse receipt identification");
        var source = new X12SourceMap(w17 ?? set.St);
        string? receiptId = null;
        DateTimeOffset? at = null;
        X12Segment? atSegment = w17;
        var atElement = 2;
        if (w17 is not null)
        {
            var date = x.Date(w17, 2, "receipt date");
            receiptId = x.Identifier(w17, 3, "warehouse receipt number");
            at = date is { } d ? new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null;
            source.Add("events", w17);
        }

        if (x.First("G62", "09") is { } g62)
        {
            at = x.Instant(g62, 2, 4, "received date");
            atSegment = g62;
        }

        var n9 = set.Body.FirstOrDefault(s => s.Id == "N9" && s[1] is "PO" or "TR");
        string? documentId = null;
        if (n9 is null)
        {
            x.Missing("N9", (w17?.Position ?? 1) + 1, "N9*PO*{purchaseOrderId} or N9*TR*{transferId} is required: what the receipt is for");
        }
        else
        {
            documentId = x.Identifier(n9, 2, n9[1] == "PO" ? "purchase order id" : "transfer id");
        }

        var events = new List<WarehouseEventRequest>();
        foreach (var w07 in set.Body.Where(s => s.Id == "W07"))
        {
            var quantity = x.Quantity(w07, 1, "units received");
            var (sku, skuElement) = x.Product(w07, 4, 1, "product id");
            var path = $"events[{events.Count}]";
            source.Add(path, w07);
            source.Add($"{path}.sku", w07, skuElement);
            source.Add($"{path}.quantity", w07, 1);
            if (n9 is not null)
            {
                source.Add($"{path}.purchaseOrderId", n9, 2);
                source.Add($"{path}.transferId", n9, 2);
            }

            if (atSegment is not null)
            {
                source.Add($"{path}.occurredAt", atSegment, atElement);
            }

            if (w17 is not null)
            {
                source.Add($"{path}.eventId", w17, 3);
            }

            var purchase = n9?[1] == "PO";
            events.Add(new WarehouseEventRequest
            {
                EventId = $"{partner.PartnerId}:944:{receiptId}:{events.Count + 1}",
                WarehouseId = partner.WarehouseId,
                Type = purchase ? nameof(WarehouseEventType.PurchaseReceived) : nameof(WarehouseEventType.TransferReceived),
                Sku = sku,
                Quantity = quantity ?? 0,
                PurchaseOrderId = purchase ? documentId : null,
                TransferId = purchase ? null : documentId,
                OccurredAt = at,
            });
        }

        if (events.Count == 0)
        {
            x.Missing("W07", set.Body.Count + 1, "W07 (item detail for stock receipt) is required: at least one received line");
        }

        return x.Errors.Count > 0 ? new(null, source, x.Errors) : new(events, source, x.Errors);
    }

    /// <summary>
    /// 846 inventory inquiry/advice from a 3PL → a stock snapshot of the partner's warehouse
    /// (absolute on-hand per SKU, as <c>POST /v1/inventory/snapshots</c> takes it). BIA04/BIA05
    /// date and time are the snapshot's <c>asOf</c>; each LIN (product SK/VN/VP/BP) is followed by
    /// QTY*17 (quantity on hand, 0 allowed).
    /// </summary>
    public static X12Mapped<InventorySnapshot> InventoryAdvice846(X12TransactionSet set, EdiPartnerContext partner)
    {
        var x = new X12Elements(set);
        var bia = x.Required("BIA", 2, "beginning segment for inventory inquiry/advice");
        var source = new X12SourceMap(bia ?? set.St);
        DateTimeOffset? asOf = null;
        if (bia is not null)
        {
            x.Code(bia, 1, "transaction set purpose", "00");
            x.Text(bia, 3, "reference id");
            asOf = x.Instant(bia, 4, 5, "as of");
            source.Add("asOf", bia, 4);
            source.Add("warehouseId", bia);
            source.Add("items", bia);
        }

        var items = new List<SnapshotLine>();
        X12Segment? lin = null;
        (string? Sku, int Element) product = default;
        var counted = false;
        void Close(int position)
        {
            if (lin is not null && !counted)
            {
                x.Missing("QTY", position, $"QTY*17 (quantity on hand) is required for the LIN at {lin.Position}");
            }
        }

        foreach (var segment in set.Body)
        {
            if (segment.Id == "LIN")
            {
                Close(segment.Position);
                lin = segment;
                counted = false;
                product = x.Product(segment, 2, 5, "product id");
            }
            else if (segment.Id == "QTY" && segment[1] == "17" && lin is not null && !counted)
            {
                counted = true;
                var quantity = x.Quantity(segment, 2, "quantity on hand", allowZero: true);
                var path = $"items[{items.Count}]";
                source.Add(path, lin);
                source.Add($"{path}.sku", lin, product.Element);
                source.Add($"{path}.onHand", segment, 2);
                if (product.Sku is { } sku && quantity is { } q)
                {
                    items.Add(new SnapshotLine(sku, q));
                }
            }
        }

        Close(set.Body.Count + 1);
        if (lin is null)
        {
            x.Missing("LIN", set.Body.Count + 1, "LIN (item identification) with QTY*17 is required: at least one item");
        }

        if (x.Errors.Count > 0 || asOf is null)
        {
            return new(null, source, x.Errors);
        }

        return new(new InventorySnapshot { WarehouseId = partner.WarehouseId!, AsOf = asOf.Value, Items = items }, source, x.Errors);
    }

    private static GeoPoint? ShipTo(X12Elements x, X12TransactionSet set, EdiPartnerContext partner, X12SourceMap source)
    {
        var body = set.Body;
        var n1 = body.FirstOrDefault(s => s.Id == "N1" && s[1] == "ST");
        if (n1 is not null)
        {
            source.Add("shipTo", n1);
            var start = n1.Position - 1; // body[0] is at position 2 (ST is 1)
            var loopEnd = start;
            while (loopEnd < body.Count && body[loopEnd].Id is not ("N1" or "PO1"))
            {
                loopEnd++;
            }

            var geo = body.Skip(start).Take(loopEnd - start).FirstOrDefault(s => s.Id == "REF" && s[1] == "GEO");
            if (geo is not null)
            {
                source.Add("shipTo", geo);
                source.Add("shipTo.latitude", geo, 2);
                source.Add("shipTo.longitude", geo, 3);
                var latitude = x.Number(geo, 2, "ship-to latitude", -90, 90);
                var longitude = x.Number(geo, 3, "ship-to longitude", -180, 180);
                return latitude is { } lat && longitude is { } lon ? new GeoPoint(lat, lon) : null;
            }
        }

        if (partner.DefaultShipTo is { } fallback)
        {
            return fallback;
        }

        if (n1 is null)
        {
            x.Missing("N1", (x.First("BEG")?.Position ?? 1) + 1,
                "N1*ST (ship-to) with REF*GEO*{latitude}*{longitude} is required: the trading partner has no default ship-to");
        }
        else
        {
            x.Missing("REF", n1.Position + 1, "REF*GEO*{latitude}*{longitude} is required in the ship-to loop: the trading partner has no default ship-to");
        }

        return null;
    }

    private static void CheckLineCount(X12Elements x, X12TransactionSet set, int lines)
    {
        if (x.First("CTT") is { } ctt && x.Quantity(ctt, 1, "number of line items") is { } count && count != lines)
        {
            x.Fail(ctt, 1, X12ElementErrorCode.InvalidCode, $"CTT01 (number of line items) says {count}; the set holds {lines} PO1 line(s)");
        }
    }
}
