namespace Distribution.Benchmark;

/// <summary>
/// End-of-run check that every order acknowledged with a 2xx is stored: GET /v1/orders/{id}
/// answers it, placed (not still allocating). In durable mode that is the "nothing acknowledged is
/// lost" half of the run's check; the stock half is <see cref="OversellChecker"/>.
/// </summary>
internal sealed class StoredOrderCheck(ApiClient api, AllocationLedger ledger, int parallelism)
{
    public async Task<StoredOrders> RunAsync(CancellationToken ct)
    {
        var ids = ledger.AcknowledgedOrders.Distinct(StringComparer.Ordinal).ToList();
        long missing = 0;
        await ParallelWork.RunAsync("acknowledged orders read back", ids, ids.Count, parallelism, async (id, token) =>
        {
            var (order, _) = await api.GetOrderAsync(id, token);
            if (order is null || string.Equals(order.Status, "allocating", StringComparison.OrdinalIgnoreCase))
                Interlocked.Increment(ref missing);
            return 1;
        }, ct);
        return new StoredOrders(ids.Count, missing);
    }
}
