using Distribution.Common;

namespace Distribution.Inventory;

/// <summary>Stored state of one SKU at one warehouse.</summary>
[GenerateSerializer]
public sealed class SkuLocationState : IHasWakeTime
{
    [Id(0)] public int OnHand { get; set; }
    [Id(1)] public int SafetyStock { get; set; }
    /// <summary>Keyed by <c>{orderId}|{lineId}</c>.</summary>
    [Id(2)] public Dictionary<string, Reservation> Reservations { get; set; } = new(StringComparer.Ordinal);
    [Id(3)] public DateTimeOffset? LastSnapshotAt { get; set; }
    [Id(5)] public ReplenishmentPolicy? Policy { get; set; }

    /// <summary>
    /// No later than the earliest reservation expiry (kept as a running minimum, so it may be
    /// early; an early wake-up finds nothing due and moves it on). The recovery sweep wakes the
    /// grain then even if nothing else activates it.
    /// </summary>
    [Id(6)] public DateTimeOffset? WakeAt { get; set; }

    public int Reserved => Reservations.Values.Sum(r => r.Quantity);
}
