using System.Globalization;
using Distribution.Inventory;

namespace Distribution.Simulator;

/// <summary>
/// A replenishment policy as named on the command line, applied to every SKU-location:
/// <c>none</c>, <c>service-level:P</c> (reorder point from demand and lead time at service level P),
/// <c>reorder-point:S:Q</c> or <c>min-max:S:MAX</c> (fixed levels).
/// </summary>
internal sealed record PolicySpec(string Name, ReplenishmentPolicy? Policy)
{
    // The simulator plays no planner, so replenishment creates its transfers and orders itself.
    public const string Help = "none | service-level:P (0<P<1) | reorder-point:S:Q | min-max:MIN:MAX";

    public static PolicySpec Parse(string text)
    {
        var parts = text.Trim().ToLowerInvariant().Split(':');
        return parts switch
        {
            ["none"] => new(text, null),
            ["service-level", var p] when Number(p) is > 0 and < 1 and var level => new(text, new ReplenishmentPolicy
            {
                Mode = ReplenishmentMode.Automatic,
                Kind = ReplenishmentPolicyKind.ReorderPoint,
                ServiceLevel = level,
            }),
            ["reorder-point", var s, var q] when Whole(s) is >= 0 and var rop && Whole(q) is > 0 and var quantity => new(text, new ReplenishmentPolicy
            {
                Mode = ReplenishmentMode.Automatic,
                Kind = ReplenishmentPolicyKind.ReorderPoint,
                ReorderPoint = rop,
                OrderQuantity = quantity,
            }),
            ["min-max", var min, var max] when Whole(min) is >= 0 and var low && Whole(max) is { } high && high >= low => new(text, new ReplenishmentPolicy
            {
                Mode = ReplenishmentMode.Automatic,
                Kind = ReplenishmentPolicyKind.MinMax,
                ReorderPoint = low,
                OrderUpTo = high,
            }),
            _ => throw new FormatException($"policy '{text}': expected {Help}"),
        };
    }

    private static double? Number(string s) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static int? Whole(string s) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;
}
