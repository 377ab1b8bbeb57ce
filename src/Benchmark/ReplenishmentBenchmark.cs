using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Distribution.Benchmark;

/// <summary>
/// The network replenishment pass over the whole benchmark network: a reorder-point policy on every
/// SKU-location (1% of them below their reorder point), then timed passes.
/// </summary>
internal sealed class ReplenishmentBenchmark(ApiClient api, Network network, Options options) : IBenchmark
{
    private const string Supplier = "BENCH-SUPPLIER";
    private const int RowsPerImport = 20_000;
    private const int NeedEvery = 100;

    public void PrintPlan()
    {
        Console.WriteLine($"Replenishment pass benchmark: {network.Warehouses.Count} warehouses x {network.Skus.Count:N0} SKUs = "
            + $"{(long)network.Warehouses.Count * network.Skus.Count:N0} SKU-locations with a policy, every {NeedEvery}th below its reorder point; {options.Passes} pass(es).");
    }

    public async Task<int> RunAsync(CancellationToken stopLoad)
    {
        try
        {
            await ImportPoliciesAsync(stopLoad);
        }
        catch (SetupException e)
        {
            Console.Error.WriteLine($"error during setup: {e.Message}");
            return 2;
        }

        var elapsed = new List<double>();
        for (var pass = 1; pass <= options.Passes && !stopLoad.IsCancellationRequested; pass++)
        {
            var started = Stopwatch.GetTimestamp();
            var body = await api.PostSetupAsync("v1/replenishment/review", "{}", $"pass {pass}", stopLoad);
            var client = Stopwatch.GetElapsedTime(started).TotalSeconds;
            using var summary = JsonDocument.Parse(body);
            var root = summary.RootElement;
            var hub = TimeSpan.Parse(root.GetProperty("elapsed").GetString()!, CultureInfo.InvariantCulture).TotalSeconds;
            elapsed.Add(hub);
            Console.WriteLine($"  pass {pass}: {hub:F2} s (hub), {client:F2} s (client); {root.GetProperty("skus").GetInt32():N0} SKUs, "
                + $"{root.GetProperty("locationsReviewed").GetInt32():N0} SKU-locations reviewed, {root.GetProperty("needs").GetInt32():N0} at or below their reorder point");
        }

        if (elapsed.Count > 0)
        {
            elapsed.Sort();
            Console.WriteLine($"Median pass: {elapsed[elapsed.Count / 2]:F2} s over {elapsed.Count} pass(es).");
        }

        return 0;
    }

    private async Task ImportPoliciesAsync(CancellationToken ct)
    {
        Console.WriteLine("Policies:");
        await api.PostSetupAsync("v1/master-data/import",
            $$"""{"suppliers":[{"supplierId":"{{Supplier}}","name":"Benchmark supplier","leadTimeDays":7,"leadTimeStdDevDays":1}]}""",
            "import the supplier", ct);

        var items = network.Skus.Chunk(RowsPerImport).ToList();
        await ParallelWork.RunAsync("items given the supplier", items, network.Skus.Count, 4, async (chunk, token) =>
        {
            var json = new StringBuilder("{\"items\":[");
            foreach (var sku in chunk)
                json.Append(CultureInfo.InvariantCulture, $$"""{"sku":"{{sku}}","description":"Benchmark item {{sku}}","defaultSupplierId":"{{Supplier}}"},""");
            json.Length--;
            json.Append("]}");
            await ImportAsync(json.ToString(), "items", token);
            return chunk.Length;
        }, ct);

        var locations = network.Warehouses.SelectMany(w => network.Skus.Select((sku, i) => (Warehouse: w.Id, Sku: sku, Index: i))).ToList();
        await ParallelWork.RunAsync("policies (SKU-locations)", locations.Chunk(RowsPerImport).ToList(), locations.Count, 4, async (chunk, token) =>
        {
            var json = new StringBuilder("{\"policies\":[");
            foreach (var (warehouse, sku, index) in chunk)
            {
                // Every 100th SKU-location sits below its reorder point: the first pass finds those needs.
                var reorderPoint = index % NeedEvery == 0 ? options.OnHand + 1 : 0;
                json.Append(CultureInfo.InvariantCulture, $$"""{"warehouseId":"{{warehouse}}","sku":"{{sku}}","kind":"reorderPoint","reorderPoint":{{reorderPoint}},"orderQuantity":100},""");
            }

            json.Length--;
            json.Append("]}");
            await ImportAsync(json.ToString(), "policies", token);
            return chunk.Length;
        }, ct);
    }

    private async Task ImportAsync(string json, string kind, CancellationToken ct)
    {
        var body = await api.PostSetupAsync("v1/master-data/import", json, $"import {kind}", ct);
        using var report = JsonDocument.Parse(body);
        var rejected = report.RootElement.GetProperty("rejectedRows").GetInt32();
        if (rejected > 0)
            throw new SetupException($"import {kind}: {rejected} row(s) rejected, first: {report.RootElement.GetProperty("rejected")[0]}");
    }
}
