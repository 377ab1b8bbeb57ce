using System.Collections.Concurrent;
using Distribution.Common;

namespace Distribution.Inventory;

/// <summary>
/// The SKUs this silo has found in the item master. An item is never deleted, so a SKU found once
/// is not asked again: checking the SKU of a warehouse event, a snapshot line or a transfer or
/// purchase order line then costs no call to the SKU's grain. (Each warehouse's event consumer used
/// to ask once per SKU new to it, up to a million calls after a start; a snapshot once per line.)
/// A SKU not found is asked again next time, so an item created later is recognised at once.
/// A SKU view that holds its item tells this silo's set when it activates or the item is set
/// (<see cref="Remember"/>), so after a warm-up brought the views live no SKU is asked at all.
/// </summary>
public sealed class KnownItems
{
    private readonly ConcurrentDictionary<string, byte> _skus = new(StringComparer.Ordinal);
    private readonly Func<string, Task<bool>> _lookUp;

    public KnownItems(GrainReferences refs)
        : this(async sku => await refs.Sku(sku).GetItem() is not null)
    {
    }

    /// <param name="lookUp">Asks the item master whether it knows a SKU.</param>
    internal KnownItems(Func<string, Task<bool>> lookUp) => _lookUp = lookUp;

    /// <summary>Whether this silo already knows <paramref name="sku"/>, without asking.</summary>
    public bool Knows(string sku) => _skus.ContainsKey(sku);

    /// <summary>Learns <paramref name="sku"/> from its item master record (the SKU's own grain), without asking.</summary>
    public void Remember(string sku) => _skus.TryAdd(sku, 0);

    /// <summary>Whether the item master knows <paramref name="sku"/>.</summary>
    public ValueTask<bool> IsKnownAsync(string sku) =>
        Knows(sku) ? ValueTask.FromResult(true) : new(AskAsync(sku));

    /// <summary>
    /// For each SKU, in order, whether the item master knows it. Those not known here yet are asked
    /// in parallel, in waves (<see cref="FanOut"/>), each once however often it repeats.
    /// </summary>
    public async Task<bool[]> AreKnownAsync(IReadOnlyList<string> skus)
    {
        var known = new bool[skus.Count];
        var unknown = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < skus.Count; i++)
        {
            known[i] = Knows(skus[i]);
            if (!known[i])
            {
                if (!unknown.TryGetValue(skus[i], out var lines))
                {
                    unknown[skus[i]] = lines = [];
                }

                lines.Add(i);
            }
        }

        var asked = unknown.Keys.ToList();
        var answers = await FanOut.InWavesAsync(asked, AskAsync);
        for (var j = 0; j < asked.Count; j++)
        {
            foreach (var i in unknown[asked[j]])
            {
                known[i] = answers[j];
            }
        }

        return known;
    }

    /// <summary>
    /// The SKUs of a request's lines that the item master does not know, each as an error naming
    /// its line (<c>lines[2].sku</c>).
    /// </summary>
    public async Task<List<FieldError>> UnknownSkusAsync(IReadOnlyList<string> skus, string field = "lines")
    {
        var known = await AreKnownAsync(skus);
        var errors = new List<FieldError>();
        for (var i = 0; i < skus.Count; i++)
        {
            if (!known[i])
            {
                errors.Add(new($"{field}[{i}].sku", $"unknown SKU '{skus[i]}'"));
            }
        }

        return errors;
    }

    private async Task<bool> AskAsync(string sku)
    {
        if (!await _lookUp(sku))
        {
            return false;
        }

        Remember(sku);
        return true;
    }
}
