namespace Distribution.Simulator;

/// <summary>What one business day of a simulation saw.</summary>
internal sealed record SimulatedDay
{
    public required DateOnly Date { get; init; }
    public int Orders { get; init; }
    public int UnitsOrdered { get; init; }
    /// <summary>Units allocated when the order was placed (the rest waited as backorders).</summary>
    public int UnitsFilledAtOnce { get; init; }
    public int OrdersBackordered { get; init; }
    public int LinesShipped { get; init; }
    public int LinesShippedOnTime { get; init; }
    /// <summary>On-hand across the network at the end of the day.</summary>
    public long OnHand { get; init; }
    /// <summary>SKU-locations with nothing available at the end of the day.</summary>
    public int StockedOut { get; init; }

    public double FillRate => UnitsOrdered == 0 ? 1 : (double)UnitsFilledAtOnce / UnitsOrdered;
}

/// <summary>A whole run of one policy: the days and the figures of the report.</summary>
internal sealed record SimulationResult(string Policy, IReadOnlyList<SimulatedDay> Days, int SkuLocations, TimeSpan Elapsed)
{
    public long UnitsOrdered => Days.Sum(d => (long)d.UnitsOrdered);

    /// <summary>Share of ordered units allocated at once from stock on hand (not backordered, not promised from inbound).</summary>
    public double FillRate => UnitsOrdered == 0 ? 1 : Days.Sum(d => (long)d.UnitsFilledAtOnce) / (double)UnitsOrdered;

    public int Orders => Days.Sum(d => d.Orders);

    public int OrdersBackordered => Days.Sum(d => d.OrdersBackordered);

    /// <summary>SKU-location-days with nothing available at the end of the day.</summary>
    public long StockoutDays => Days.Sum(d => (long)d.StockedOut);

    public double StockoutShare => Days.Count == 0 ? 0 : StockoutDays / ((double)Days.Count * SkuLocations);

    public double AverageOnHand => Days.Count == 0 ? 0 : Days.Average(d => (double)d.OnHand);

    /// <summary>Share of shipped lines that left on or before their promised ship date.</summary>
    public double PromiseAccuracy
    {
        get
        {
            var shipped = Days.Sum(d => (long)d.LinesShipped);
            return shipped == 0 ? 1 : Days.Sum(d => (long)d.LinesShippedOnTime) / (double)shipped;
        }
    }

    public long LinesShipped => Days.Sum(d => (long)d.LinesShipped);

    /// <summary>Transfers and purchase orders replenishment created during the run.</summary>
    public int Transfers { get; init; }

    public int Purchases { get; init; }
}
