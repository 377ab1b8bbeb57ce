namespace Distribution.Replenishment;

/// <summary>
/// What a SKU-location can count on for future demand, the figure reorder decisions compare with the reorder
/// point: <see cref="Units"/> = on-hand + inbound − reserved − backordered. On-hand alone would reorder again
/// while a delivery is on its way, and ignore orders already promised or waiting.
/// </summary>
public readonly record struct InventoryPosition
{
    /// <param name="onHand">Physically in the warehouse; may be negative after a counted shortfall.</param>
    /// <param name="inbound">Transfers in transit and purchase orders not yet received.</param>
    /// <param name="reserved">Held for allocated order lines.</param>
    /// <param name="backordered">Ordered by customers and waiting for stock here.</param>
    /// <exception cref="ArgumentOutOfRangeException">Inbound, reserved or backordered is negative.</exception>
    public InventoryPosition(int onHand, int inbound, int reserved, int backordered)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inbound);
        ArgumentOutOfRangeException.ThrowIfNegative(reserved);
        ArgumentOutOfRangeException.ThrowIfNegative(backordered);
        OnHand = onHand;
        Inbound = inbound;
        Reserved = reserved;
        Backordered = backordered;
    }

    public int OnHand { get; }

    public int Inbound { get; }

    public int Reserved { get; }

    public int Backordered { get; }

    /// <summary>On-hand + inbound − reserved − backordered; negative when more is owed than held or coming.</summary>
    /// <exception cref="OverflowException">The result does not fit an <see cref="int"/>.</exception>
    public int Units => checked((int)((long)OnHand + Inbound - Reserved - Backordered));

    /// <summary>
    /// Units this location could give away without dropping to its own <paramref name="reorderPoint"/>: the
    /// surplus a transfer may take (never below 0).
    /// </summary>
    public int SurplusAbove(int reorderPoint) => (int)Math.Max(0L, (long)Units - reorderPoint);
}
