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

    public int Reserved => Reservations.Values.Sum(r => r.Quantity);

    /// <summary>The earliest unconfirmed hold: after a crash the silo wakes this grain then.</summary>
    public DateTimeOffset? WakeAt =>
        Reservations.Values.Where(r => r.HoldUntil is not null).Min(r => r.HoldUntil);
}
