using System.Buffers.Binary;
using System.Text;

namespace Distribution.Events;

/// <summary>
/// Where the memory journal keeps its entries: the strings of an entry as length-prefixed UTF-8
/// in large byte chunks. A journal holds every accepted event for the dedupe window, so at tens of
/// thousands of events a second these bytes must not be objects the collector copies out of the
/// young generation and walks again in every full collection: a chunk is allocated once, on the
/// large object heap, and only ever appended to.
/// </summary>
internal sealed class JournalArena
{
    /// <summary>Above the large object threshold (85,000 bytes), so a chunk is never copied by a collection.</summary>
    private const int ChunkSize = 1 << 20;

    /// <summary>The strings of an entry, in this order.</summary>
    internal const int KeyField = 0;
    internal const int PayloadField = 1;
    internal const int CorrelationField = 2;
    internal const int RedriveField = 3;
    internal const int TraceField = 4;

    private readonly List<byte[]> _chunks = [];
    private int _used = ChunkSize;

    /// <summary>
    /// Encodes the strings of an entry (null allowed) into one record in <paramref name="buffer"/>
    /// (grown if too small; the caller keeps it for the next one, so a record costs no allocation).
    /// </summary>
    public static ReadOnlySpan<byte> Encode(ref byte[] buffer, string key, string payload, string? correlationId, string? redriveOf, string? traceParent)
    {
        var length = 0;
        foreach (var field in (ReadOnlySpan<string?>)[key, payload, correlationId, redriveOf, traceParent])
        {
            length += sizeof(int) + (field is null ? 0 : Encoding.UTF8.GetByteCount(field));
        }

        if (buffer.Length < length)
        {
            buffer = new byte[Math.Max(length, buffer.Length * 2)];
        }

        var record = buffer.AsSpan(0, length);
        var at = 0;
        foreach (var field in (ReadOnlySpan<string?>)[key, payload, correlationId, redriveOf, traceParent])
        {
            if (field is null)
            {
                BinaryPrimitives.WriteInt32LittleEndian(record[at..], -1);
                at += sizeof(int);
                continue;
            }

            var written = Encoding.UTF8.GetBytes(field, record[(at + sizeof(int))..]);
            BinaryPrimitives.WriteInt32LittleEndian(record[at..], written);
            at += sizeof(int) + written;
        }

        return record;
    }

    /// <summary>Copies a record in; returns where it is.</summary>
    public ArenaSpan Append(ReadOnlySpan<byte> record)
    {
        if (_used + record.Length > ChunkSize || _chunks.Count == 0)
        {
            // A record bigger than a chunk gets a chunk of its own size.
            _chunks.Add(new byte[Math.Max(ChunkSize, record.Length)]);
            _used = 0;
        }

        var at = new ArenaSpan(_chunks.Count - 1, _used, record.Length);
        record.CopyTo(_chunks[at.Chunk].AsSpan(_used));
        _used += record.Length;
        return at;
    }

    public ReadOnlySpan<byte> Record(ArenaSpan at) => _chunks[at.Chunk].AsSpan(at.Offset, at.Length);

    /// <summary>The UTF-8 bytes of one field of a record (empty for null).</summary>
    public static ReadOnlySpan<byte> Field(ReadOnlySpan<byte> record, int field, out bool isNull)
    {
        var at = 0;
        for (var i = 0; ; i++)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(record[at..]);
            at += sizeof(int);
            if (i == field)
            {
                isNull = length < 0;
                return isNull ? [] : record.Slice(at, length);
            }

            at += Math.Max(0, length);
        }
    }

    public static string? Text(ReadOnlySpan<byte> record, int field)
    {
        var bytes = Field(record, field, out var isNull);
        return isNull ? null : Encoding.UTF8.GetString(bytes);
    }
}

/// <summary>A record's place in a <see cref="JournalArena"/>.</summary>
internal readonly record struct ArenaSpan(int Chunk, int Offset, int Length);
