using Distribution.Benchmark;
using Distribution.Simulator;

SimulationOptions options;
try
{
    options = SimulationOptions.Parse(args);
}
catch (FormatException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

if (options.Help)
{
    Console.WriteLine(SimulationOptions.Usage);
    return 0;
}

var network = SimulatedNetwork.Build(options);
Console.WriteLine($"Network: {options.Warehouses} warehouses, {options.Skus:N0} SKUs, ~{options.MeanOrdersPerDay:N0} orders/day, " +
    $"{options.Days} days, seed {options.Seed}; policies: {string.Join(" vs ", options.Policies.Select(p => p.Name))}");

var results = new List<SimulationResult>();
for (var i = 0; i < options.Policies.Count; i++)
{
    results.Add(await new NetworkSimulation(options, network).RunAsync(options.Policies[i]));
}

SimulationReport.Print(results, Console.Out);
foreach (var path in SimulationReport.Write(results, options.OutputDirectory))
{
    ConsoleStatus.Line($"wrote {path}");
}

return 0;
