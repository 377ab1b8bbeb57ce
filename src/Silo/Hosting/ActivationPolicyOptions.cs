using System.Reflection;
using Distribution.Inventory;
using Orleans.Configuration;

namespace Distribution.Silo.Hosting;

/// <summary>
/// When a silo lets go of idle activations (configuration section <c>Activations</c>). Nothing is
/// lost either way: a grain's state is stored before it answers, and the next call reactivates it
/// from storage (durable) or from the silo's in-memory storage (embedded).
/// </summary>
public sealed class ActivationPolicyOptions
{
    /// <summary>
    /// Idle time after which a SKU-location or a SKU's view is deactivated. Long, because they are
    /// the live network that allocation and availability read (and what the warm-up brings live);
    /// memory pressure sheds them sooner when it must.
    /// </summary>
    public TimeSpan InventoryIdleAge { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Idle time for every other grain (Orleans' default). A placed order deactivates at once.</summary>
    public TimeSpan IdleAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often the silo looks for idle activations; both ages must be longer.</summary>
    public TimeSpan ScanInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Grains that set their own idle age ([CollectionAgeLimit], e.g. an order's 5 minutes). Orleans
    /// refuses a scan interval that is not shorter, but its message names neither this section nor the setting.
    /// </summary>
    private static readonly IReadOnlyList<(string Grain, TimeSpan IdleAge)> OwnIdleAges =
    [
        .. typeof(SkuLocationGrain).Assembly.GetTypes()
            .Select(t => (t.Name, Limit: t.GetCustomAttribute<CollectionAgeLimitAttribute>()))
            .Where(g => g.Limit is not null)
            .Select(g => (g.Name, g.Limit!.AgeLimit)),
    ];

    /// <summary>
    /// When the process uses more than <see cref="MemoryLimitPercent"/> of the memory available to it,
    /// deactivate the activations idle the longest until it is back at <see cref="MemoryTargetPercent"/>.
    /// </summary>
    public bool ShedOnMemoryPressure { get; set; } = true;

    public double MemoryLimitPercent { get; set; } = 85;

    public double MemoryTargetPercent { get; set; } = 75;

    /// <summary>What is wrong with these settings, each naming its key; empty when they can be used.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (ScanInterval <= TimeSpan.Zero)
        {
            problems.Add($"Activations:ScanInterval must be positive (is {ScanInterval})");
        }

        if (InventoryIdleAge <= ScanInterval)
        {
            problems.Add($"Activations:InventoryIdleAge must be longer than Activations:ScanInterval ({InventoryIdleAge} ≤ {ScanInterval})");
        }

        if (IdleAge <= ScanInterval)
        {
            problems.Add($"Activations:IdleAge must be longer than Activations:ScanInterval ({IdleAge} ≤ {ScanInterval})");
        }

        foreach (var (grain, idleAge) in OwnIdleAges.Where(g => g.IdleAge <= ScanInterval))
        {
            problems.Add($"Activations:ScanInterval must be shorter than the idle age {grain} sets for itself ({idleAge} ≤ {ScanInterval})");
        }

        if (ShedOnMemoryPressure)
        {
            if (MemoryLimitPercent is <= 0 or > 100)
            {
                problems.Add($"Activations:MemoryLimitPercent must be above 0 and at most 100 (is {MemoryLimitPercent})");
            }

            if (MemoryTargetPercent <= 0 || MemoryTargetPercent >= MemoryLimitPercent)
            {
                problems.Add($"Activations:MemoryTargetPercent must be above 0 and below Activations:MemoryLimitPercent (is {MemoryTargetPercent}, limit {MemoryLimitPercent})");
            }
        }

        return problems;
    }

    /// <summary>Orleans' collector settings for this policy.</summary>
    public void ApplyTo(GrainCollectionOptions collection)
    {
        collection.CollectionQuantum = ScanInterval;
        collection.CollectionAge = IdleAge;
        // Keyed by class name, as Orleans looks them up; a grain's own [CollectionAgeLimit] still wins.
        collection.ClassSpecificCollectionAge[typeof(SkuLocationGrain).FullName!] = InventoryIdleAge;
        collection.ClassSpecificCollectionAge[typeof(SkuGrain).FullName!] = InventoryIdleAge;
        collection.EnableActivationSheddingOnMemoryPressure = ShedOnMemoryPressure;
        collection.MemoryUsageLimitPercentage = MemoryLimitPercent;
        collection.MemoryUsageTargetPercentage = MemoryTargetPercent;
    }
}
