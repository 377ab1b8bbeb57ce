namespace Distribution.Common;

/// <summary>Enum values as clients send them: a member's name, in any case, and nothing else.</summary>
public static class EnumNames
{
    /// <summary>
    /// Parses only a member's exact name (any case). <see cref="Enum.TryParse{TEnum}(string?, bool, out TEnum)"/>
    /// would also take numbers (" 1", "+1") and comma-joined names OR-ed into another member.
    /// </summary>
    public static bool TryParse<T>(string? value, out T parsed)
        where T : struct, Enum
    {
        var name = Enum.GetNames<T>().FirstOrDefault(n => string.Equals(n, value, StringComparison.OrdinalIgnoreCase));
        parsed = name is null ? default : Enum.Parse<T>(name);
        return name is not null;
    }

    /// <summary>The members' names as the JSON writes them (camelCase), for error messages.</summary>
    public static string List<T>()
        where T : struct, Enum =>
        string.Join(", ", Enum.GetNames<T>().Select(n => char.ToLowerInvariant(n[0]) + n[1..]));
}
