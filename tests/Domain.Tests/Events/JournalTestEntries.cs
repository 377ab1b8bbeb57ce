namespace Distribution.Events.Tests;

/// <summary>Journal entries for the journal, queue and backlog tests: one Received event each.</summary>
internal static class JournalTestEntries
{
    public static readonly DateTimeOffset T0 = new(2025, 3, 3, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Appends one event per warehouse named, in that order, to <paramref name="queue"/>; returns their sequences.</summary>
    public static async Task<long[]> Append(IEventJournal journal, int queue, params string[] warehouses)
    {
        var entries = warehouses.Select(warehouse =>
        {
            var e = new WarehouseEvent
            {
                EventId = Guid.NewGuid().ToString(),
                WarehouseId = warehouse,
                Type = WarehouseEventType.Received,
                Sku = "SKU-1",
                Quantity = 1,
                OccurredAt = T0,
            };
            return new JournalEntry(e.EventId, queue, warehouse, JournalCodec.Encode(e), T0, T0, null, null);
        }).ToList();
        var results = await journal.AppendAsync(entries);
        Assert.All(results, r => Assert.Equal(JournalAppendStatus.Appended, r.Status));
        return [.. results.Select(r => r.Sequence)];
    }
}
