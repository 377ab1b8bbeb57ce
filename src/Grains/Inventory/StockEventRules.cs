using Distribution.Events;

namespace Distribution.Inventory;

/// <summary>How much of an order line a warehouse has picked and shipped (cumulative).</summary>
public readonly record struct LineTotals(int Picked, int Shipped)
{
    /// <summary>
    /// Units that left free stock: picking takes them, shipping takes whatever picking did not.
    /// The maximum of two sums does not depend on arrival order, so Shipped before Picked ends
    /// where Picked before Shipped does.
    /// </summary>
    public int Consumed => Math.Max(Picked, Shipped);
}

/// <summary>What one event does to a SKU-location, decided without touching it.</summary>
public sealed record StockDecision
{
    public bool Apply { get; init; }
    /// <summary>Why the event cannot be applied (dead letter), when <see cref="Apply"/> is false.</summary>
    public string? Reason { get; init; }
    /// <summary>Whether the refusal is about negative stock (raised as that kind of exception).</summary>
    public bool WouldGoNegative { get; init; }
    public int OnHandDelta { get; init; }
    /// <summary>Units taken from the order line's reservation here (picks and shipments).</summary>
    public int ReservationConsumed { get; init; }
    public LineTotals? Line { get; init; }
    /// <summary>On-hand after the event is below zero (allowed only with a reason code, and raised).</summary>
    public bool Negative { get; init; }
}

/// <summary>
/// The rules of warehouse events at one SKU-location, as pure functions: receipts add, adjustments
/// add their signed delta, counts set the absolute figure, picks and shipments consume the order
/// line's reservation and never more than it holds; a transfer's shipment consumes the transfer's
/// reservation the same way and its receipt adds, as does a purchase order's receipt. An event lowers on-hand below zero only if it
/// carries a reason code saying why.
/// </summary>
public static class StockEventRules
{
    /// <param name="lineReservation">What the event's order line (or transfer) holds reserved here.</param>
    public static StockDecision Decide(WarehouseEvent e, int onHand, LineTotals line, int lineReservation)
    {
        switch (e.Type)
        {
            case WarehouseEventType.Received:
            case WarehouseEventType.Adjusted:
                return CheckNegative(e, onHand, new StockDecision { Apply = true, OnHandDelta = e.Quantity });
            case WarehouseEventType.Counted:
                return new StockDecision { Apply = true, OnHandDelta = e.Quantity - onHand };
            case WarehouseEventType.Picked:
            case WarehouseEventType.Shipped:
                var after = e.Type == WarehouseEventType.Picked
                    ? line with { Picked = line.Picked + e.Quantity }
                    : line with { Shipped = line.Shipped + e.Quantity };
                var consumed = after.Consumed - line.Consumed;
                if (consumed > lineReservation)
                {
                    return new StockDecision
                    {
                        Reason = $"{Verb(e.Type)} {e.Quantity} unit(s) of order '{e.OrderId}' line '{e.LineId}' "
                            + $"but only {lineReservation} unit(s) are reserved for it at '{e.WarehouseId}'",
                    };
                }

                return CheckNegative(e, onHand, new StockDecision
                {
                    Apply = true,
                    OnHandDelta = -consumed,
                    ReservationConsumed = consumed,
                    Line = after,
                });
            case WarehouseEventType.TransferShipped:
                // The lineReservation is the transfer's reservation here. Shipping more than it
                // holds would take stock promised to someone else.
                if (e.Quantity > lineReservation)
                {
                    return new StockDecision
                    {
                        Reason = $"ships {e.Quantity} unit(s) of transfer '{e.TransferId}' "
                            + $"but only {lineReservation} unit(s) are reserved for it at '{e.WarehouseId}'",
                    };
                }

                return CheckNegative(e, onHand, new StockDecision { Apply = true, OnHandDelta = -e.Quantity, ReservationConsumed = e.Quantity });
            case WarehouseEventType.TransferReceived:
                // Whether the transfer exists and comes here is checked before (TransferRules.RefuseMovement).
                return new StockDecision { Apply = true, OnHandDelta = e.Quantity };
            case WarehouseEventType.PurchaseReceived:
                // Whether the purchase order exists, is received here and carries the SKU is
                // checked before (PurchaseOrderRules.RefuseReceipt).
                return new StockDecision { Apply = true, OnHandDelta = e.Quantity };
            default:
                return new StockDecision { Reason = $"events of type {e.Type} do not change stock here" };
        }
    }

    private static StockDecision CheckNegative(WarehouseEvent e, int onHand, StockDecision decision)
    {
        // Only an event that lowers on-hand can take it below zero; a receipt into negative stock
        // (or a shipment of units already picked) only moves it towards zero.
        var after = onHand + decision.OnHandDelta;
        if (after >= 0 || decision.OnHandDelta >= 0)
        {
            return decision;
        }

        if (string.IsNullOrWhiteSpace(e.ReasonCode))
        {
            return new StockDecision
            {
                WouldGoNegative = true,
                Reason = $"would take on-hand of '{e.Sku}' at '{e.WarehouseId}' from {onHand} to {after}; "
                    + "send the event with a reasonCode to record negative stock deliberately",
            };
        }

        return decision with { Negative = true };
    }

    private static string Verb(WarehouseEventType type) => type == WarehouseEventType.Picked ? "picks" : "ships";
}
