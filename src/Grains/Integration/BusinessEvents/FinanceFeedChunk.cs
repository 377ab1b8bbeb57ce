using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;

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
    [Id(0)] public long Index { get; init; }

    /// <summary>The entries, unless <see cref="Packed"/>.</summary>
    [Id(1)] public FinanceFeedEntry[] Entries { get; init; } = [];

    [Id(2)] public byte[]? Packed { get; init; }

    /// <summary>
    /// Of a packed chunk: the 128-bit hashes of its entries' event ids, in entry order (16 bytes
    /// each, little-endian as this machine), so a feed is brought back without unpacking every chunk
    /// (a second per hundred thousand entries). Null: unpack to know them (chunks of earlier versions).
    /// </summary>
    [Id(3)] public byte[]? IdHashes { get; init; }

    /// <param name="idHashes">The entries' id hashes in entry order, or empty for none.</param>
    public static FinanceFeedChunk Pack(long index, FinanceFeedEntry[] entries, ReadOnlySpan<UInt128> idHashes = default) => new()
    {
        Index = index,
        Packed = JsonSerializer.SerializeToUtf8Bytes(entries, FinanceFeedJson.Default.FinanceFeedEntryArray),
        IdHashes = idHashes.Length == entries.Length && entries.Length > 0 ? MemoryMarshal.AsBytes(idHashes).ToArray() : null,
    };

    /// <summary>The id hashes of the entries, when stored (see <see cref="IdHashes"/>).</summary>
    public ReadOnlySpan<UInt128> StoredIdHashes =>
        IdHashes is { Length: > 0 } bytes && bytes.Length % 16 == 0 ? MemoryMarshal.Cast<byte, UInt128>(bytes) : [];

    /// <summary>The entries, unpacked if need be (a new array each time for a packed chunk).</summary>
    public IReadOnlyList<FinanceFeedEntry> Unpack() =>
        Packed is null ? Entries : JsonSerializer.Deserialize(Packed, FinanceFeedJson.Default.FinanceFeedEntryArray) ?? [];
}

/// <summary>
/// The JSON of packed chunks, generated at build time: packing a full chunk is on the warehouse
/// events' path, and the reflection-based serializer it replaces wrote the same JSON (web defaults).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(FinanceFeedEntry[]))]
internal sealed partial class FinanceFeedJson : JsonSerializerContext;
