namespace Distribution.Events.Tests;

public sealed class WarehouseEventBatchTests
{
    private static JournaledEvent Entry(long sequence) => new()
    {
        Sequence = sequence,
        Event = new WarehouseEvent { EventId = $"e-{sequence}", WarehouseId = "W1", Sku = "SKU-1", Type = WarehouseEventType.Received, Quantity = 1 },
    };

    private static WarehouseEventBatch Batch(params long[] sequences) => new([.. sequences.Select(Entry)]);

    private static long[] Sequences(WarehouseEventBatch batch) => [.. batch.Events.Select(e => e.Sequence)];

    [Fact]
    public void Deliveries_in_journal_order_are_joined_in_that_order()
    {
        var joined = WarehouseEventBatch.Concat([Batch(3, 7), Batch(9), Batch(12, 15, 20)]);

        Assert.Equal([3, 7, 9, 12, 15, 20], Sequences(joined));
    }

    [Fact]
    public void A_single_delivery_is_passed_through_as_it_is()
    {
        var only = Batch(4, 5);

        Assert.Same(only, WarehouseEventBatch.Concat([only]));
    }

    [Fact]
    public void An_overlapping_redelivery_keeps_each_entry_once_in_journal_order()
    {
        // A failed delivery is retried from its start: entries 5 and 6 come again after 8.
        var joined = WarehouseEventBatch.Concat([Batch(5, 6, 8), Batch(5, 6), Batch(10)]);

        Assert.Equal([5, 6, 8, 10], Sequences(joined));
    }
}
