using System.Text.Json;
using System.Text.Json.Serialization;

namespace Distribution.Events;

/// <summary>
/// The journal's payload format: a warehouse event as compact JSON (readable with psql, and the
/// same text for the same event, so a duplicate is recognised by comparing payloads).
/// </summary>
public static class JournalCodec
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Encode(WarehouseEvent e) => JsonSerializer.Serialize(e, Options);

    public static WarehouseEvent Decode(string payload) =>
        JsonSerializer.Deserialize<WarehouseEvent>(payload, Options)
        ?? throw new InvalidDataException("An event journal entry holds no event.");

    /// <summary>The event of a payload kept as UTF-8.</summary>
    public static WarehouseEvent Decode(ReadOnlySpan<byte> utf8Payload) =>
        JsonSerializer.Deserialize<WarehouseEvent>(utf8Payload, Options)
        ?? throw new InvalidDataException("An event journal entry holds no event.");

    public static JournaledEvent ToJournaled(StoredJournalEntry stored) => new()
    {
        Sequence = stored.Sequence,
        Event = Decode(stored.Entry.Payload),
        AcceptedAt = stored.Entry.AcceptedAt,
        CorrelationId = stored.Entry.CorrelationId,
        RedriveOf = stored.Entry.RedriveOf,
        TraceParent = stored.Entry.TraceParent,
    };
}
