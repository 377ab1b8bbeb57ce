namespace Distribution.Replenishment;

/// <summary>How long replenishment from one source takes, in days: a supplier's lead time or a lane's transit time.</summary>
public readonly record struct LeadTime
{
    /// <exception cref="ArgumentOutOfRangeException">A value is negative or not finite.</exception>
    public LeadTime(double days, double stdDevDays = 0)
    {
        Days = Checked(days, nameof(days));
        StdDevDays = Checked(stdDevDays, nameof(stdDevDays));
    }

    /// <summary>Mean days from ordering to receiving (LT).</summary>
    public double Days { get; }

    /// <summary>Standard deviation of <see cref="Days"/> (σLT); 0 for a dependable lane.</summary>
    public double StdDevDays { get; }

    /// <summary>The day something ordered on <paramref name="day"/> arrives: whole days, rounded up.</summary>
    public DateOnly ArrivalFrom(DateOnly day) => day.AddDays(Quantities.RoundUp(Days));

    private static double Checked(double value, string paramName) =>
        double.IsFinite(value) && value >= 0
            ? value
            : throw new ArgumentOutOfRangeException(paramName, value, "Must be a finite number of days, zero or more.");
}

/// <summary>
/// The stock levels that trigger replenishment of one SKU-location from one source.
/// </summary>
/// <param name="SafetyStock">Units kept against demand and lead-time variability during a lead time.</param>
/// <param name="ReorderPoint">Position at or below which to reorder: lead-time demand plus safety stock.</param>
public readonly record struct ReorderLevels(int SafetyStock, int ReorderPoint)
{
    /// <summary>Units expected to be consumed while a replenishment is under way (⌈d·LT⌉).</summary>
    public int LeadTimeDemand => ReorderPoint - SafetyStock;

    /// <summary>
    /// Safety stock in (fractional) units: z·√(LT·σd² + d²·σLT²), the z-multiple of the standard deviation of
    /// demand over a lead time when both daily demand and the lead time vary. Never negative (z &lt; 0, a service
    /// level under 50 %, keeps no safety stock rather than a negative one).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is negative or not finite (z only not finite).</exception>
    public static double SafetyStockUnits(double z, double demandRate, double demandVariance, LeadTime leadTime)
    {
        if (!double.IsFinite(z))
        {
            throw new ArgumentOutOfRangeException(nameof(z), z, "z must be a finite number.");
        }

        Quantities.CheckNonNegative(demandRate, nameof(demandRate));
        Quantities.CheckNonNegative(demandVariance, nameof(demandVariance));
        var sigmaLt = leadTime.StdDevDays;
        var stdDev = Math.Sqrt((leadTime.Days * demandVariance) + (demandRate * demandRate * sigmaLt * sigmaLt));
        return Math.Max(0, z * stdDev);
    }

    /// <summary>
    /// Safety stock and reorder point for replenishing from a source with <paramref name="leadTime"/>:
    /// safety stock = ⌈z·√(LT·σd² + d²·σLT²)⌉ with z = <see cref="StandardNormal.Quantile"/>(service level), or
    /// <paramref name="fixedSafetyStock"/> when the policy fixes it (then the service level is ignored); with
    /// neither there is no safety stock. Reorder point = ⌈d·LT⌉ + safety stock.
    /// </summary>
    /// <param name="demandRate">d, units per day.</param>
    /// <param name="demandVariance">σd², units² per day.</param>
    /// <param name="leadTime">LT and σLT of the chosen source.</param>
    /// <param name="serviceLevel">Probability of not running out during a lead time, in (0, 1).</param>
    /// <param name="fixedSafetyStock">Units fixed by the policy; overrides <paramref name="serviceLevel"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public static ReorderLevels For(
        double demandRate, double demandVariance, LeadTime leadTime, double? serviceLevel, int? fixedSafetyStock = null)
    {
        Quantities.CheckNonNegative(demandRate, nameof(demandRate));
        Quantities.CheckNonNegative(demandVariance, nameof(demandVariance));
        int safetyStock;
        if (fixedSafetyStock is { } units)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(units, nameof(fixedSafetyStock));
            safetyStock = units;
        }
        else if (serviceLevel is { } level)
        {
            if (!(level > 0 && level < 1))
            {
                throw new ArgumentOutOfRangeException(
                    nameof(serviceLevel), level, "The service level must be strictly between 0 and 1.");
            }

            safetyStock = Quantities.RoundUp(
                SafetyStockUnits(StandardNormal.Quantile(level), demandRate, demandVariance, leadTime));
        }
        else
        {
            safetyStock = 0;
        }

        var leadTimeDemand = Quantities.RoundUp(demandRate * leadTime.Days);
        return new ReorderLevels(safetyStock, checked(leadTimeDemand + safetyStock));
    }

    /// <summary>
    /// <see cref="For(double, double, LeadTime, double?, int?)"/> with d and σd² from <paramref name="demand"/>;
    /// fold it to the current business day first (<see cref="DemandEstimate.AsOf"/>).
    /// </summary>
    public static ReorderLevels For(
        DemandEstimate demand, LeadTime leadTime, double? serviceLevel, int? fixedSafetyStock = null) =>
        For(demand.Rate, demand.Variance, leadTime, serviceLevel, fixedSafetyStock);
}
