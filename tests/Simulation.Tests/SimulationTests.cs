using Distribution.Simulator;

namespace Distribution.Tests.Simulation;

/// <summary>
/// Short simulations through the real HTTP API of an embedded hub: replenishment must pay for
/// itself, and a seed must give the same run twice.
/// </summary>
public sealed class SimulationTests
{
    // Three weeks, four warehouses, a week of starting stock: without replenishment the network runs dry.
    private static readonly string[] Small = ["--days", "21", "--warehouses", "4", "--skus", "80", "--orders-per-day", "40", "--initial-cover", "7", "--seed", "11"];

    [Fact]
    public async Task A_service_level_policy_fills_more_than_no_replenishment_on_the_same_demand()
    {
        var options = SimulationOptions.Parse([.. Small, "--compare", "none", "service-level:0.95"]);
        var network = SimulatedNetwork.Build(options);

        var none = await new NetworkSimulation(options, network).RunAsync(options.Policies[0]);
        var serviceLevel = await new NetworkSimulation(options, network).RunAsync(options.Policies[1]);

        Assert.Equal(none.UnitsOrdered, serviceLevel.UnitsOrdered); // the same demand
        Assert.True(serviceLevel.FillRate > none.FillRate + 0.1,
            $"fill rate with service-level:0.95 {serviceLevel.FillRate:P1}, without replenishment {none.FillRate:P1}");
        Assert.True(serviceLevel.Purchases > 0, "replenishment bought nothing");
        Assert.Equal(0, none.Transfers + none.Purchases);
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_run()
    {
        var options = SimulationOptions.Parse([.. Small, "--days", "8", "--policy", "reorder-point:6:12"]);
        var network = SimulatedNetwork.Build(options);

        var first = await new NetworkSimulation(options, network).RunAsync(options.Policies[0]);
        var second = await new NetworkSimulation(options, network).RunAsync(options.Policies[0]);

        Assert.Equal(first.Days, second.Days);
        Assert.Equal((first.Transfers, first.Purchases), (second.Transfers, second.Purchases));
    }
}
