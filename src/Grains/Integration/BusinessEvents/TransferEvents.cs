using Distribution.Transfers;

namespace Distribution.Integration.BusinessEvents;

/// <summary>A transfer's business events: requested, shipped (in part or in full), received (in part or in full), cancelled.</summary>
internal static class TransferEvents
{
    public static List<BusinessEvent> From(TransferView transfer, int from) =>
        TimelineEvents.From(transfer.Timeline, from, e => e.Status, TypesOf, (entry, index, type) => new BusinessEvent
        {
            EventId = BusinessEventIds.For(type, transfer.TransferId, TimelineEvents.Transition(index)),
            Type = type,
            EntityKind = "transfer",
            EntityId = transfer.TransferId,
            CorrelationId = entry.CorrelationId,
            OccurredAt = entry.At,
            Payload = BusinessEventPayload.Of(new
            {
                transferId = transfer.TransferId,
                status = entry.Status,
                description = entry.Description,
                transfer.FromWarehouseId,
                transfer.ToWarehouseId,
                transfer.Reason,
                transfer.Eta,
                transfer.Lines,
            }),
        });

    private static IEnumerable<string> TypesOf(TransferStatus status) => status switch
    {
        TransferStatus.Requested => [BusinessEventTypes.TransferRequested],
        TransferStatus.PartiallyShipped or TransferStatus.Shipped => [BusinessEventTypes.TransferShipped],
        TransferStatus.PartiallyReceived or TransferStatus.Received => [BusinessEventTypes.TransferReceived],
        TransferStatus.Cancelled => [BusinessEventTypes.TransferCancelled],
        _ => [],
    };
}
