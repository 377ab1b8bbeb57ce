using System.Globalization;
using System.Text;

namespace Distribution.Simulator;

/// <summary>The report of one or more runs: a table on the console, CSV files and an SVG chart.</summary>
internal static class SimulationReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private static readonly (string Name, Func<SimulationResult, string> Value)[] Rows =
    [
        ("orders", r => r.Orders.ToString("N0", Invariant)),
        ("units ordered", r => r.UnitsOrdered.ToString("N0", Invariant)),
        ("fill rate (units from stock at once)", r => r.FillRate.ToString("P1", Invariant)),
        ("orders backordered", r => r.OrdersBackordered.ToString("N0", Invariant)),
        ("stockout days (SKU-location-days, nothing available)", r => $"{r.StockoutDays.ToString("N0", Invariant)} ({r.StockoutShare.ToString("P1", Invariant)})"),
        ("average inventory held (units on hand)", r => r.AverageOnHand.ToString("N0", Invariant)),
        ("lines shipped", r => r.LinesShipped.ToString("N0", Invariant)),
        ("promise accuracy (shipped on or before promised)", r => r.PromiseAccuracy.ToString("P1", Invariant)),
        ("transfers created by replenishment", r => r.Transfers.ToString("N0", Invariant)),
        ("purchase orders created by replenishment", r => r.Purchases.ToString("N0", Invariant)),
        ("simulation time", r => r.Elapsed.ToString(@"mm\:ss", Invariant)),
    ];

    public static void Print(IReadOnlyList<SimulationResult> results, TextWriter output)
    {
        var nameWidth = Rows.Max(r => r.Name.Length);
        var columnWidth = Math.Max(18, results.Max(r => r.Policy.Length) + 2);
        output.WriteLine();
        output.WriteLine("".PadRight(nameWidth) + string.Concat(results.Select(r => r.Policy.PadLeft(columnWidth))));
        foreach (var (name, value) in Rows)
        {
            output.WriteLine(name.PadRight(nameWidth) + string.Concat(results.Select(r => value(r).PadLeft(columnWidth))));
        }
    }

    /// <summary>Writes summary.csv, days.csv and fill-rate.svg into <paramref name="directory"/>; returns their paths.</summary>
    public static IReadOnlyList<string> Write(IReadOnlyList<SimulationResult> results, string directory)
    {
        Directory.CreateDirectory(directory);
        var summary = new StringBuilder("policy,orders,units_ordered,fill_rate,orders_backordered,stockout_days,stockout_share,average_on_hand,lines_shipped,promise_accuracy,transfers,purchases\n");
        foreach (var r in results)
        {
            summary.AppendLine(string.Join(',',
                Csv(r.Policy), r.Orders, r.UnitsOrdered, Number(r.FillRate), r.OrdersBackordered, r.StockoutDays,
                Number(r.StockoutShare), Number(r.AverageOnHand), r.LinesShipped, Number(r.PromiseAccuracy), r.Transfers, r.Purchases));
        }

        var days = new StringBuilder("policy,date,orders,units_ordered,units_filled_at_once,fill_rate,orders_backordered,lines_shipped,lines_shipped_on_time,on_hand,stocked_out_sku_locations\n");
        foreach (var r in results)
        {
            foreach (var d in r.Days)
            {
                days.AppendLine(string.Join(',',
                    Csv(r.Policy), d.Date.ToString("yyyy-MM-dd", Invariant), d.Orders, d.UnitsOrdered, d.UnitsFilledAtOnce,
                    Number(d.FillRate), d.OrdersBackordered, d.LinesShipped, d.LinesShippedOnTime, d.OnHand, d.StockedOut));
            }
        }

        var paths = new[] { Path.Combine(directory, "summary.csv"), Path.Combine(directory, "days.csv"), Path.Combine(directory, "fill-rate.svg") };
        File.WriteAllText(paths[0], summary.ToString());
        File.WriteAllText(paths[1], days.ToString());
        File.WriteAllText(paths[2], FillRateChart(results));
        return paths;
    }

    /// <summary>Daily fill rate per policy as a line chart (plain SVG: no plotting library needed for lines).</summary>
    public static string FillRateChart(IReadOnlyList<SimulationResult> results)
    {
        const int Width = 800, Height = 400, Left = 60, Right = 20, Top = 40, Bottom = 50;
        string[] colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"];
        var dayCount = Math.Max(2, results.Max(r => r.Days.Count));
        double X(int day) => Left + ((Width - Left - Right) * day / (double)(dayCount - 1));
        double Y(double rate) => Top + ((Height - Top - Bottom) * (1 - rate));

        var svg = new StringBuilder();
        svg.Append(Invariant, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{Width}" height="{Height}" font-family="sans-serif" font-size="12">""").AppendLine();
        svg.Append(Invariant, $"""<rect width="{Width}" height="{Height}" fill="white"/>""").AppendLine();
        svg.Append(Invariant, $"""<text x="{Width / 2}" y="20" text-anchor="middle" font-size="14">Daily fill rate (units from stock at once)</text>""").AppendLine();
        for (var tick = 0; tick <= 10; tick += 2)
        {
            var y = Y(tick / 10.0);
            svg.Append(Invariant, $"""<line x1="{Left}" y1="{y:0.#}" x2="{Width - Right}" y2="{y:0.#}" stroke="#ddd"/>""").AppendLine();
            svg.Append(Invariant, $"""<text x="{Left - 6}" y="{y + 4:0.#}" text-anchor="end">{tick * 10}%</text>""").AppendLine();
        }

        svg.Append(Invariant, $"""<text x="{Width / 2}" y="{Height - 12}" text-anchor="middle">business day</text>""").AppendLine();
        for (var i = 0; i < results.Count; i++)
        {
            var points = string.Join(' ', results[i].Days.Select((d, day) => string.Create(Invariant, $"{X(day):0.#},{Y(d.FillRate):0.#}")));
            svg.Append(Invariant, $"""<polyline fill="none" stroke="{colours[i % colours.Length]}" stroke-width="2" points="{points}"/>""").AppendLine();
            svg.Append(Invariant, $"""<text x="{Left + 10}" y="{Height - Bottom + 30 - (16 * (results.Count - 1 - i))}" fill="{colours[i % colours.Length]}">{Escape(results[i].Policy)}</text>""").AppendLine();
        }

        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    private static string Number(double value) => value.ToString("0.####", Invariant);

    private static string Csv(string text) => text.Contains(',', StringComparison.Ordinal) ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : text;

    private static string Escape(string text) => System.Security.SecurityElement.Escape(text);
}
