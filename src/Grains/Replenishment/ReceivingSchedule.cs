namespace Distribution.Replenishment;

/// <summary>Units of one proposal to arrive on one day.</summary>
public readonly record struct ReceiptPart(DateOnly Day, int Quantity);

/// <summary>
/// Fits a delivery into a destination's receiving capacity (units per day), so a dock is never planned beyond
/// what it can put away: each day takes what its capacity leaves after the units already due, the rest moves to
/// the next day. Days are calendar days counted from the earliest arrival.
/// </summary>
public static class ReceivingSchedule
{
    /// <summary>
    /// Splits <paramref name="quantity"/> over days from <paramref name="earliestArrival"/> on, each day taking at
    /// most <paramref name="capacityPerDay"/> minus what <paramref name="alreadyDue"/> holds for it.
    /// </summary>
    /// <remarks>
    /// Unlimited (one part on the earliest day) when <paramref name="capacityPerDay"/> is null. Parts are in day
    /// order, each with quantity &gt; 0; days already at or over capacity are skipped. Nothing is booked: to place
    /// several proposals, add each one's parts to <paramref name="alreadyDue"/> before splitting the next.
    /// </remarks>
    /// <param name="quantity">Units to receive; 0 gives no parts.</param>
    /// <param name="earliestArrival">The proposal's expected arrival.</param>
    /// <param name="capacityPerDay">Units the destination can receive per day, more than 0; null for unlimited.</param>
    /// <param name="alreadyDue">Units already due at the destination per day (missing days: none).</param>
    /// <exception cref="ArgumentOutOfRangeException">A quantity is negative or the capacity is not positive.</exception>
    public static IReadOnlyList<ReceiptPart> Split(
        int quantity, DateOnly earliestArrival, int? capacityPerDay, IReadOnlyDictionary<DateOnly, int> alreadyDue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(quantity);
        ArgumentNullException.ThrowIfNull(alreadyDue);
        if (capacityPerDay is { } capacity)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity, nameof(capacityPerDay));
        }

        foreach (var due in alreadyDue.Values)
        {
            if (due < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(alreadyDue), due, "Units due on a day cannot be negative.");
            }
        }

        if (quantity == 0)
        {
            return [];
        }

        if (capacityPerDay is not { } perDay)
        {
            return [new ReceiptPart(earliestArrival, quantity)];
        }

        var parts = new List<ReceiptPart>();
        var day = earliestArrival;
        var remaining = quantity;
        while (remaining > 0)
        {
            var free = perDay - alreadyDue.GetValueOrDefault(day);
            if (free > 0)
            {
                var take = Math.Min(free, remaining);
                parts.Add(new ReceiptPart(day, take));
                remaining -= take;
            }

            day = day.AddDays(1);
        }

        return parts;
    }
}
