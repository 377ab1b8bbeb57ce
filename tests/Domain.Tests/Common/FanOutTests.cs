namespace Distribution.Common.Tests;

public sealed class FanOutTests
{
    [Fact]
    public async Task Results_come_back_in_item_order_with_never_more_than_a_wave_in_flight()
    {
        var inFlight = 0;
        var most = 0;
        var items = Enumerable.Range(0, 1_000).ToList();

        var results = await FanOut.InWavesAsync(items, async i =>
        {
            most = Math.Max(most, Interlocked.Increment(ref inFlight));
            await Task.Yield();
            Interlocked.Decrement(ref inFlight);
            return i * 2;
        }, wave: 64);

        Assert.Equal(items.Select(i => i * 2), results);
        Assert.InRange(most, 1, 64);
    }

    [Fact]
    public async Task No_items_make_no_calls()
    {
        var results = await FanOut.InWavesAsync(Array.Empty<string>(), _ => Task.FromResult(1));

        Assert.Empty(results);
    }
}
