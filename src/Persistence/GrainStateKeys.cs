using System.Collections.Concurrent;
using System.Globalization;
using Orleans.Runtime;
using Orleans.Storage;

namespace Distribution.Persistence;

/// <summary>How both storages name a grain's state and encode versions as etags.</summary>
internal static class GrainStateKeys
{
    // One string per grain type and state name (not one per grain: the in-process storage keys a
    // million SKU-locations by it), and the etags of low versions shared.
    private static readonly ConcurrentDictionary<(GrainType, string), string> GrainTypes = new();
    private static readonly string[] LowVersions = [.. Enumerable.Range(0, 256).Select(v => v.ToString(CultureInfo.InvariantCulture))];

    /// <summary>The grain_type column: "&lt;grain type&gt;/&lt;state name&gt;".</summary>
    public static string GrainType(string stateName, GrainId grainId) => GrainType(stateName, grainId.Type);

    public static string GrainType(string stateName, GrainType grainType) =>
        GrainTypes.GetOrAdd((grainType, stateName), static k => string.Concat(k.Item1.ToString(), "/", k.Item2));

    /// <summary>The grain_id column: <see cref="GrainId.ToString"/> (parsable with <see cref="GrainId.Parse(string)"/>).</summary>
    public static string GrainIdText(GrainId grainId) => grainId.ToString();

    /// <summary>The version the caller's etag says is stored (0 = nothing stored).</summary>
    public static int ExpectedVersion(string? etag, string grainType, string grainId)
    {
        if (etag is null)
        {
            return 0;
        }

        if (int.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version > 0)
        {
            return version;
        }

        throw new InconsistentStateException(
            $"Etag '{etag}' of {grainType} {grainId} is not a version written by this storage.", null, etag);
    }

    public static string ETag(int version) =>
        (uint)version < (uint)LowVersions.Length ? LowVersions[version] : version.ToString(CultureInfo.InvariantCulture);

    public static InconsistentStateException Conflict(string operation, string grainType, string grainId, string? etag) =>
        new($"{operation} of {grainType} {grainId} with etag '{etag ?? "<none>"}' conflicts with the stored version (another writer won).", null, etag);
}
