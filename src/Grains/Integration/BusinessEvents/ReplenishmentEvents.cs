using Distribution.Replenishment;

namespace Distribution.Integration.BusinessEvents;

/// <summary>A recommendation stored by a warehouse's replenishment board (one event per recommendation).</summary>
internal static class ReplenishmentEvents
{
    public static BusinessEvent Recommended(Recommendation r) => new()
    {
        EventId = BusinessEventIds.For(BusinessEventTypes.ReplenishmentRecommended, r.RecommendationId, "0"),
        Type = BusinessEventTypes.ReplenishmentRecommended,
        EntityKind = "recommendation",
        EntityId = r.RecommendationId,
        CorrelationId = Common.CorrelationContext.Current,
        OccurredAt = r.CreatedAt,
        Payload = BusinessEventPayload.Of(r),
    };
}
