namespace Distribution.Common;

/// <summary>Helpers for grains that change their state and then call other grains.</summary>
public static class GrainSteps
{
    /// <summary>
    /// Runs one step of a grain. A failed step may leave memory ahead of storage (a write failed,
    /// or a call after it), so the activation is dropped and the next call starts from storage.
    /// </summary>
    public static async Task<T> DeactivateOnFailure<T>(this IGrainBase grain, Func<Task<T>> step)
    {
        try
        {
            return await step();
        }
        catch
        {
            grain.DeactivateOnIdle();
            throw;
        }
    }

    /// <summary>
    /// The SKUs of a request's lines that the item master does not know, each as an error naming
    /// its line (<c>lines[2].sku</c>). The SKUs are asked in parallel.
    /// </summary>
    public static async Task<List<FieldError>> UnknownSkusAsync(this GrainReferences refs, IReadOnlyList<string> skus, string field = "lines")
    {
        var items = await Task.WhenAll(skus.Select(s => refs.Sku(s).GetItem()));
        var errors = new List<FieldError>();
        for (var i = 0; i < skus.Count; i++)
        {
            if (items[i] is null)
            {
                errors.Add(new($"{field}[{i}].sku", $"unknown SKU '{skus[i]}'"));
            }
        }

        return errors;
    }
}
