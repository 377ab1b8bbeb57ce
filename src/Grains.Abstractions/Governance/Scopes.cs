namespace Distribution.Governance;

/// <summary>
/// What an API key may do. Every HTTP route requires one scope; <see cref="Admin"/> grants all of
/// them (and alone grants key management, exceptions, operations, the dashboard and metrics).
/// </summary>
public static class Scopes
{
    public const string OrdersWrite = "orders:write";
    public const string OrdersRead = "orders:read";
    public const string InventoryRead = "inventory:read";
    public const string InventoryWrite = "inventory:write";
    public const string EventsWrite = "events:write";
    public const string EdiWrite = "edi:write";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [OrdersWrite, OrdersRead, InventoryRead, InventoryWrite, EventsWrite, EdiWrite, Admin];

    public static bool IsKnown(string scope) => All.Contains(scope, StringComparer.Ordinal);

    /// <summary>The scopes a key holding <paramref name="held"/> is granted: admin implies every scope.</summary>
    public static IReadOnlyList<string> Granted(IEnumerable<string> held)
    {
        var scopes = held.Where(IsKnown).Distinct(StringComparer.Ordinal).ToList();
        return scopes.Contains(Admin, StringComparer.Ordinal) ? All : scopes;
    }
}
