using System.Text.Json;
using System.Text.Json.Serialization;

namespace Distribution.Events;

/// <summary>
/// The journal's payload format: a warehouse event as compact JSON (readable with psql, and the
/// same text for the same event, so a duplicate is recognised by comparing payloads).
/// </summary>
public static class JournalCodec
{
    public static string Encode(WarehouseEvent e) => JsonSerializer.Serialize(e, JournalJson.Default.WarehouseEvent);

    public static WarehouseEvent Decode(string payload) =>
        JsonSerializer.Deserialize(payload, JournalJson.Default.WarehouseEvent)
        ?? throw new InvalidDataException("An event journal entry holds no event.");

    /// <summary>The event of a payload kept as UTF-8.</summary>
    public static WarehouseEvent Decode(ReadOnlySpan<byte> utf8Payload) =>
        JsonSerializer.Deserialize(utf8Payload, JournalJson.Default.WarehouseEvent)
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

/// <summary>
/// The payload's JSON generated at build time (web defaults, nulls left out, enums by name): every
/// accepted event is encoded once and decoded once on its way. The text must stay what journals
/// already hold, or a re-posted event would no longer be recognised as a duplicate.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(WarehouseEvent))]
internal sealed partial class JournalJson : JsonSerializerContext;
