using System.Globalization;

namespace Distribution.Simulator;

/// <summary>Command-line options of the network simulator.</summary>
internal sealed class SimulationOptions
{
    public const string Usage = $"""
        Network simulator: builds a distribution network in an embedded hub, drives days of seasonal,
        Zipf-distributed demand through the hub's HTTP API in business time, plays the warehouses
        (ships what the hub allocated on its promised day, receives replenishment on its ETA) and
        reports fill rate, backorders, stockout days, inventory held and promise accuracy.

        Usage: dotnet run -c Release --project src/Simulator -- [options]

          --days N               business days to simulate (default 90)
          --warehouses N         warehouses on the map (default 10)
          --skus N               SKUs, SIM-00001... (default 2000)
          --orders-per-day N     mean orders per day before seasonality (default: SKUs / 2)
          --policy P             replenishment policy of every SKU-location (default service-level:0.95):
                                 {PolicySpec.Help}
          --compare P1 P2        run both policies on the same seeded demand, side by side
          --initial-cover D      days of expected demand each SKU-location starts with (default 21)
          --late-share X         share of shipments a warehouse makes one day after the promised
                                 date (default 0.03)
          --seed N               seed for the network and the demand (default 7)
          --out DIR              where the CSV files and the SVG chart go (default .simulation/<UTC time>)
          -h, --help             this text

        The same seed gives the same network and the same orders, so policies are compared on
        identical demand.
        """;

    public int Days { get; private set; } = 90;
    public int Warehouses { get; private set; } = 10;
    public int Skus { get; private set; } = 2000;
    public int? OrdersPerDay { get; private set; }
    public IReadOnlyList<PolicySpec> Policies { get; private set; } = [PolicySpec.Parse("service-level:0.95")];
    public double InitialCoverDays { get; private set; } = 21;
    public double LateShare { get; private set; } = 0.03;
    public int Seed { get; private set; } = 7;
    public string OutputDirectory { get; private set; } = Path.Combine(".simulation", DateTime.UtcNow.ToString("yyyyMMdd_HHmmss", CultureInfo.InvariantCulture));
    public bool Help { get; private set; }

    public int MeanOrdersPerDay => OrdersPerDay ?? Math.Max(1, Skus / 2);

    public static SimulationOptions Parse(string[] args)
    {
        var o = new SimulationOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--days": o.Days = Positive(Next(), "--days"); break;
                case "--warehouses": o.Warehouses = Positive(Next(), "--warehouses"); break;
                case "--skus": o.Skus = Positive(Next(), "--skus"); break;
                case "--orders-per-day": o.OrdersPerDay = Positive(Next(), "--orders-per-day"); break;
                case "--policy": o.Policies = [PolicySpec.Parse(Next())]; break;
                case "--compare": o.Policies = [PolicySpec.Parse(Next()), PolicySpec.Parse(Next())]; break;
                case "--initial-cover": o.InitialCoverDays = Fraction(Next(), "--initial-cover", max: 365); break;
                case "--late-share": o.LateShare = Fraction(Next(), "--late-share", max: 1); break;
                case "--seed": o.Seed = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--out": o.OutputDirectory = Next(); break;
                case "-h" or "--help": o.Help = true; break;
                default: throw new FormatException($"unknown option {args[i]} (see --help)");
            }
        }

        if (o.Warehouses < 2)
        {
            throw new FormatException("--warehouses must be 2 or more (transfers need a second warehouse)");
        }

        return o;
    }

    private static int Positive(string value, string name) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new FormatException($"{name} must be a whole number above 0, not '{value}'");

    private static double Fraction(string value, string name, double max) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && x >= 0 && x <= max
            ? x
            : throw new FormatException($"{name} must be a number from 0 to {max}, not '{value}'");
}
