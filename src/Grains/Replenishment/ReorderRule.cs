using Distribution.Inventory;

namespace Distribution.Replenishment;

/// <summary>
/// When and how much a SKU-location reorders, from its policy: never (<see cref="ReplenishmentPolicyKind.None"/>),
/// a fixed quantity Q when the position reaches s (<see cref="ReplenishmentPolicyKind.ReorderPoint"/>, (s, Q)), or
/// up to S when it reaches s (<see cref="ReplenishmentPolicyKind.MinMax"/>, (s, S)).
/// <c>default(ReorderRule)</c> is <see cref="None"/>.
/// </summary>
public readonly record struct ReorderRule
{
    private ReorderRule(ReplenishmentPolicyKind kind, int reorderPoint, int orderQuantity, int orderUpTo)
    {
        Kind = kind;
        ReorderPoint = reorderPoint;
        OrderQuantity = orderQuantity;
        OrderUpTo = orderUpTo;
    }

    /// <summary>Never reorders.</summary>
    public static ReorderRule None => default;

    public ReplenishmentPolicyKind Kind { get; }

    /// <summary>s: reorder when the inventory position is at or below it (the min of min/max).</summary>
    public int ReorderPoint { get; }

    /// <summary>Q: the lot ordered each time, for <see cref="ReplenishmentPolicyKind.ReorderPoint"/>; 0 otherwise.</summary>
    public int OrderQuantity { get; }

    /// <summary>S: the position an order restores, for <see cref="ReplenishmentPolicyKind.MinMax"/>; 0 otherwise.</summary>
    public int OrderUpTo { get; }

    /// <summary>(s, Q): at or below <paramref name="reorderPoint"/>, order lots of <paramref name="orderQuantity"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">s is negative or Q is not positive.</exception>
    public static ReorderRule FixedQuantity(int reorderPoint, int orderQuantity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(reorderPoint);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(orderQuantity);
        return new ReorderRule(ReplenishmentPolicyKind.ReorderPoint, reorderPoint, orderQuantity, 0);
    }

    /// <summary>(s, S): at or below <paramref name="min"/>, order up to <paramref name="max"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">min is negative or max is below min.</exception>
    public static ReorderRule MinMax(int min, int max)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(min);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, min);
        return new ReorderRule(ReplenishmentPolicyKind.MinMax, min, 0, max);
    }

    /// <summary>
    /// Whole units to order now, given the inventory <paramref name="position"/> and the units
    /// <paramref name="alreadyProposed"/> for the same need (recommendations or orders not yet counted as inbound).
    /// </summary>
    /// <remarks>
    /// What is already proposed counts as if it were inbound: the rule sees position + proposed, so a need is
    /// never proposed twice and a proposal that already lifts the position above s stops new ones. (s, Q): at or
    /// below s, the fewest lots of Q that lift the position above s. (s, S): at or below s, S − position.
    /// Above s, nothing.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alreadyProposed"/> is negative.</exception>
    /// <exception cref="OverflowException">The quantity does not fit an <see cref="int"/>.</exception>
    public int QuantityToOrder(int position, int alreadyProposed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(alreadyProposed);
        var effective = (long)position + alreadyProposed;
        if (Kind == ReplenishmentPolicyKind.None || effective > ReorderPoint)
        {
            return 0;
        }

        var shortfall = ReorderPoint - effective;   // ≥ 0
        return Kind switch
        {
            ReplenishmentPolicyKind.ReorderPoint => checked((int)(((shortfall / OrderQuantity) + 1) * OrderQuantity)),
            ReplenishmentPolicyKind.MinMax => checked((int)(OrderUpTo - effective)),
            _ => 0,
        };
    }

    /// <inheritdoc cref="QuantityToOrder(int, int)"/>
    public int QuantityToOrder(InventoryPosition position, int alreadyProposed = 0) =>
        QuantityToOrder(position.Units, alreadyProposed);
}
