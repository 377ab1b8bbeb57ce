using System.Text.Json;

namespace Distribution.Integration.BusinessEvents;

/// <summary>
/// Stored entries of the finance feed numbered <c>Index * size + 1</c> to <c>(Index + 1) * size</c>
/// (the feed's chunk size): one stored row for many movements. Immutable; an append stores a new one.
/// A full chunk is <see cref="Packed"/>: its entries as one UTF-8 JSON array, a single object where
/// the entries would be a thousand (chunks stored unpacked, as earlier versions did, still read).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record FinanceFeedChunk
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Id(0)] public long Index { get; init; }

    /// <summary>The entries, unless <see cref="Packed"/>.</summary>
    [Id(1)] public FinanceFeedEntry[] Entries { get; init; } = [];

    [Id(2)] public byte[]? Packed { get; init; }

    public static FinanceFeedChunk Pack(long index, FinanceFeedEntry[] entries) =>
        new() { Index = index, Packed = JsonSerializer.SerializeToUtf8Bytes(entries, Json) };

    /// <summary>The entries, unpacked if need be (a new array each time for a packed chunk).</summary>
    public IReadOnlyList<FinanceFeedEntry> Unpack() =>
        Packed is null ? Entries : JsonSerializer.Deserialize<FinanceFeedEntry[]>(Packed, Json) ?? [];
}
