namespace Distribution.Common;

/// <summary>
/// FNV-1a over a string's UTF-16 code units: the same value in every process and run, unlike
/// string.GetHashCode and HashCode, which are randomised per process.
/// </summary>
public static class StableStringHash
{
    public static uint Of(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }

        return hash;
    }
}
