namespace Distribution.Replenishment;

/// <summary>
/// What one SKU-location sells per business day, learned from the units it ships: an exponentially weighted
/// mean (the demand rate d) and variance (σd²) of daily demand.
/// </summary>
/// <remarks>
/// <para>
/// A day is folded into the estimate only once it is over, i.e. when a later day is recorded or the estimate is
/// read <see cref="AsOf"/> a later day; until then its units accumulate as <see cref="PendingQuantity"/>. Days
/// without any shipment between two folded days count as zero-demand days, so a quiet week pulls the rate down
/// as much as seven recorded zeros would. Days before the first recorded shipment are not counted: the estimate
/// starts with the first day that shipped something.
/// </para>
/// <para>
/// Cold start: day n is weighted max(α, 1/n), so the first ⌊1/α⌋ days yield exactly their arithmetic mean
/// and population variance (the first day sets the mean, the variance starts at 0) instead of letting day one
/// dominate; from then on the weight is α. Update (Finch's incremental form): δ = x − d; d += a·δ;
/// σd² = (1 − a)(σd² + a·δ²).
/// </para>
/// <para>
/// A value type of 48 bytes with no references: one lives in each SKU-location, and recording or folding
/// allocates nothing. A run of zero days is folded in O(1) once past the cold start (closed form), so reading
/// the estimate of a SKU-location idle for years costs as much as one that shipped yesterday.
/// <c>default(DemandEstimate)</c> is an empty estimate with the default smoothing factor.
/// </para>
/// </remarks>
public readonly record struct DemandEstimate
{
    /// <summary>Smoothing factor α used unless another is given: roughly the last 10–20 days matter most.</summary>
    public const double DefaultSmoothing = 0.1;

    // 0 stands for DefaultSmoothing, so default(DemandEstimate) is a usable empty estimate and equals
    // new DemandEstimate(DefaultSmoothing).
    private readonly double _smoothing;
    private readonly double _rate;
    private readonly double _variance;
    private readonly double _pendingQuantity;
    private readonly DateOnly _pendingDay;
    private readonly int _daysObserved;
    private readonly bool _started;

    /// <summary>An empty estimate with smoothing factor <paramref name="smoothing"/> (α, in (0, 1]).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="smoothing"/> is not in (0, 1].</exception>
    public DemandEstimate(double smoothing)
    {
        _smoothing = CheckedSmoothing(smoothing);
    }

    private DemandEstimate(
        double smoothing, double rate, double variance, int daysObserved, bool started, DateOnly pendingDay, double pendingQuantity)
    {
        _smoothing = smoothing;
        _rate = rate;
        _variance = variance;
        _daysObserved = daysObserved;
        _started = started;
        _pendingDay = pendingDay;
        _pendingQuantity = pendingQuantity;
    }

    /// <summary>The smoothing factor α: the weight of the newest day once past the cold start.</summary>
    public double Smoothing => _smoothing == 0 ? DefaultSmoothing : _smoothing;

    /// <summary>Estimated demand per day (d), over the folded days; 0 before any day is folded.</summary>
    public double Rate => _rate;

    /// <summary>Estimated variance of daily demand (σd²), over the folded days.</summary>
    public double Variance => _variance;

    /// <summary>Estimated standard deviation of daily demand (σd).</summary>
    public double StandardDeviation => Math.Sqrt(_variance);

    /// <summary>Days folded so far, zero-demand days included.</summary>
    public int DaysObserved => _daysObserved;

    /// <summary>The first day not yet folded (the day being accumulated), or null before anything was recorded.</summary>
    public DateOnly? PendingDay => _started ? _pendingDay : null;

    /// <summary>Units recorded for <see cref="PendingDay"/> so far.</summary>
    public double PendingQuantity => _pendingQuantity;

    /// <summary>
    /// Rebuilds an estimate from its persisted properties (<see cref="Smoothing"/>, <see cref="Rate"/>,
    /// <see cref="Variance"/>, <see cref="DaysObserved"/>, <see cref="PendingDay"/>, <see cref="PendingQuantity"/>),
    /// so grain state can store plain numbers.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is negative or not finite, or smoothing is not in (0, 1].</exception>
    /// <exception cref="ArgumentException"><paramref name="pendingDay"/> is null while something else is not empty.</exception>
    public static DemandEstimate Restore(
        double smoothing, double rate, double variance, int daysObserved, DateOnly? pendingDay, double pendingQuantity)
    {
        var alpha = CheckedSmoothing(smoothing);
        Quantities.CheckNonNegative(rate, nameof(rate));
        Quantities.CheckNonNegative(variance, nameof(variance));
        Quantities.CheckNonNegative(pendingQuantity, nameof(pendingQuantity));
        ArgumentOutOfRangeException.ThrowIfNegative(daysObserved);
        if (pendingDay is null && (rate != 0 || variance != 0 || daysObserved != 0 || pendingQuantity != 0))
        {
            throw new ArgumentException("An estimate with history has a pending day.", nameof(pendingDay));
        }

        return new DemandEstimate(
            alpha, rate, variance, daysObserved, pendingDay is not null, pendingDay.GetValueOrDefault(), pendingQuantity);
    }

    /// <summary>
    /// Adds <paramref name="quantity"/> units shipped on <paramref name="day"/>. A later day than
    /// <see cref="PendingDay"/> first folds the pending day and the zero-demand days in between. A day already
    /// folded (a late event) is added to the pending day: its units still count, a day late.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="quantity"/> is negative or not finite.</exception>
    public DemandEstimate Record(DateOnly day, double quantity)
    {
        Quantities.CheckNonNegative(quantity, nameof(quantity));
        if (!_started)
        {
            return new DemandEstimate(_smoothing, 0, 0, 0, started: true, day, quantity);
        }

        if (day <= _pendingDay)
        {
            return new DemandEstimate(
                _smoothing, _rate, _variance, _daysObserved, started: true, _pendingDay, _pendingQuantity + quantity);
        }

        var folded = AsOf(day);
        return new DemandEstimate(
            folded._smoothing, folded._rate, folded._variance, folded._daysObserved, started: true, day, quantity);
    }

    /// <summary>
    /// The estimate as of the start of <paramref name="day"/>: every day before it is folded (the pending day with
    /// its units, later ones as zero-demand days) and <paramref name="day"/> becomes the pending day, still empty.
    /// Unchanged when <paramref name="day"/> is not after <see cref="PendingDay"/> or nothing was ever recorded.
    /// </summary>
    public DemandEstimate AsOf(DateOnly day)
    {
        if (!_started || day <= _pendingDay)
        {
            return this;
        }

        var alpha = Smoothing;
        var rate = _rate;
        var variance = _variance;
        var n = _daysObserved;
        Fold(alpha, ref rate, ref variance, ref n, _pendingQuantity);

        var zeroDays = day.DayNumber - _pendingDay.DayNumber - 1;
        while (zeroDays > 0 && 1.0 / (n + 1) > alpha)
        {
            Fold(alpha, ref rate, ref variance, ref n, 0);
            zeroDays--;
        }

        if (zeroDays > 0)
        {
            // k zeros at a constant weight α, with r = 1 − α: d_k = r^k·d and σ²_k = r^k·σ² + d²·r^k·(1 − r^k)
            // (unrolling the update with x = 0).
            var rk = Math.Pow(1 - alpha, zeroDays);
            variance = (rk * variance) + (rate * rate * rk * (1 - rk));
            rate *= rk;
            n += zeroDays;
        }

        return new DemandEstimate(_smoothing, rate, variance, n, started: true, day, 0);
    }

    private static void Fold(double alpha, ref double rate, ref double variance, ref int n, double x)
    {
        n++;
        var a = Math.Max(alpha, 1.0 / n);
        var delta = x - rate;
        var increment = a * delta;
        rate += increment;
        variance = (1 - a) * (variance + (delta * increment));
    }

    private static double CheckedSmoothing(double smoothing)
    {
        if (!(smoothing > 0 && smoothing <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(smoothing), smoothing, "The smoothing factor must be in (0, 1].");
        }

        return smoothing == DefaultSmoothing ? 0 : smoothing;
    }
}
