using Distribution.Benchmark;
using Distribution.Common;
using Distribution.Orders;

namespace Distribution.Simulator;

/// <summary>
/// Customer demand: a number of orders per day that follows a season (a slow wave over the year)
/// and the week (quiet weekends), each order with 1–3 lines of Zipf(1.1)-popular SKUs, 1–3 units
/// each, shipped to a random point on the map. A day's orders depend only on the seed and the day,
/// so every policy sees exactly the same demand.
/// </summary>
internal sealed class DemandModel
{
    public const double MeanLines = 2.0;
    public const double MeanUnitsPerLine = 2.0;
    private const double SeasonAmplitude = 0.25;
    private const double WeekendFactor = 0.6;

    private readonly SimulationOptions _options;
    private readonly IReadOnlyList<string> _skus;
    private readonly ZipfSampler _popularity;

    public DemandModel(SimulationOptions options, IReadOnlyList<string> skus)
    {
        _options = options;
        _skus = skus;
        _popularity = new ZipfSampler(skus.Count, 1.1);
    }

    /// <summary>Units of the SKU wanted per average day across the network.</summary>
    public double ExpectedDailyUnits(int skuIndex) =>
        _options.MeanOrdersPerDay * MeanLines * MeanUnitsPerLine * _popularity.Probability(skuIndex);

    /// <summary>Mean orders of day <paramref name="day"/> (0-based) of a run starting on <paramref name="start"/>.</summary>
    public double MeanOrders(DateOnly start, int day)
    {
        // The season peaks two thirds into a 90-day run, so a run sees demand rise and fall.
        var season = 1 + (SeasonAmplitude * Math.Sin(2 * Math.PI * (day - 15) / 90.0));
        var weekday = start.AddDays(day).DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? WeekendFactor : 1.0;
        return _options.MeanOrdersPerDay * season * weekday;
    }

    public IReadOnlyList<OrderRequest> OrdersFor(DateOnly start, int day, string runId)
    {
        var random = new Random(unchecked((_options.Seed * 1_000_003) + day));
        var count = Poisson(random, MeanOrders(start, day));
        var orders = new List<OrderRequest>(count);
        for (var n = 0; n < count; n++)
        {
            var lines = new List<OrderLineRequest>(3);
            var lineCount = random.Next(1, 4);
            var seen = new HashSet<int>();
            while (lines.Count < lineCount)
            {
                var rank = _popularity.Sample(random);
                if (seen.Add(rank))
                {
                    lines.Add(new OrderLineRequest { LineId = $"{lines.Count + 1}", Sku = _skus[rank], Quantity = random.Next(1, 4) });
                }
            }

            orders.Add(new OrderRequest
            {
                OrderId = $"{runId}-D{day:000}-{n:00000}",
                Channel = "simulator",
                ShipTo = SimulatedNetwork.RandomPoint(random),
                Lines = lines,
                AllowSplit = true,
                AllowBackorder = true,
                Priority = OrderPriority.Normal,
            });
        }

        return orders;
    }

    /// <summary>Knuth's method for small means, a rounded normal for large ones.</summary>
    private static int Poisson(Random random, double mean)
    {
        if (mean > 50)
        {
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            var normal = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            return Math.Max(0, (int)Math.Round(mean + (Math.Sqrt(mean) * normal)));
        }

        var limit = Math.Exp(-mean);
        var k = 0;
        var p = random.NextDouble();
        while (p > limit)
        {
            k++;
            p *= random.NextDouble();
        }

        return k;
    }
}
