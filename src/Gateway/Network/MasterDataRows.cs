using System.Text.Json;
using System.Text.Json.Nodes;
using CsvHelper;
using Distribution.Common;
using Distribution.Inventory;
using Distribution.Network;

namespace Distribution.Gateway.Network;

/// <summary>The kinds of master data an import carries, in the order they are applied (later kinds refer to earlier ones).</summary>
public enum MasterDataKind
{
    Warehouses = 0,
    Suppliers = 1,
    Lanes = 2,
    Items = 3,
    Policies = 4,
}

/// <summary>One row of an import: its kind, its 1-based position within that kind, and the fields as JSON.</summary>
public sealed record MasterDataRow(MasterDataKind Kind, int Row, JsonObject Fields);

/// <summary>A row that was not applied, with the field at fault.</summary>
public sealed record RejectedRow(MasterDataKind Kind, int Row, string Field, string Message);

public sealed record SupplierRow(string? SupplierId, string? Name, double LeadTimeDays, double LeadTimeStdDevDays);

public sealed record LaneRow(string? FromWarehouseId, string? ToWarehouseId, double TransitDays, decimal CostPerUnit);

public sealed record ItemRow(string? Sku, string? Description, string? UnitOfMeasure, string? DefaultSupplierId);

/// <summary>A SKU-location's policy, flat (the fields of <c>PUT …/policy</c> plus the two ids).</summary>
public sealed record PolicyRow
{
    public string? WarehouseId { get; init; }
    public string? Sku { get; init; }
    public ReplenishmentPolicyKind Kind { get; init; }
    public double? ServiceLevel { get; init; }
    public int? SafetyStock { get; init; }
    public int? ReorderPoint { get; init; }
    public int? OrderQuantity { get; init; }
    public int? OrderUpTo { get; init; }
    public string? PreferredSource { get; init; }
    public ReplenishmentMode Mode { get; init; }

    public ReplenishmentPolicy ToPolicy() => new()
    {
        Kind = Kind,
        ServiceLevel = ServiceLevel,
        SafetyStock = SafetyStock,
        ReorderPoint = ReorderPoint,
        OrderQuantity = OrderQuantity,
        OrderUpTo = OrderUpTo,
        PreferredSource = PreferredSource,
        Mode = Mode,
    };
}

/// <summary>
/// Reads an import file into rows: a JSON document with one array per kind, or a CSV file of one
/// kind whose header names the same (camelCase) fields. A row is kept as JSON so both formats
/// bind through the same contracts; a file that cannot be read at all is a <see cref="FieldError"/>.
/// </summary>
public static class MasterDataFile
{
    public static (List<MasterDataRow> Rows, FieldError? Error) ReadJson(string text)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            return ([], new FieldError("body", $"not JSON: {e.Message}"));
        }

        if (root is not JsonObject document)
        {
            return ([], new FieldError("body", "expected an object with arrays: warehouses, suppliers, lanes, items, policies"));
        }

        var rows = new List<MasterDataRow>();
        foreach (var (name, value) in document)
        {
            if (!TryParseKind(name, out var kind))
            {
                return ([], new FieldError(name, "unknown kind; expected warehouses, suppliers, lanes, items or policies"));
            }

            if (value is not JsonArray array)
            {
                return ([], new FieldError(name, "expected an array of rows"));
            }

            for (var i = 0; i < array.Count; i++)
            {
                // A row that is not an object still gets its number, and is rejected when bound.
                rows.Add(new MasterDataRow(kind, i + 1, array[i] as JsonObject ?? new JsonObject { ["$invalid"] = array[i]?.DeepClone() }));
            }
        }

        return (rows, null);
    }

    public static (List<MasterDataRow> Rows, FieldError? Error) ReadCsv(MasterDataKind kind, TextReader text)
    {
        using var csv = CsvReader.Create(text, new CsvReaderOptions(), leaveOpen: true);
        csv.ReadHeader();
        var headers = csv.Headers;
        if (headers.Count == 0 || headers.All(string.IsNullOrWhiteSpace))
        {
            return ([], new FieldError("body", "empty CSV: the first line must name the columns"));
        }

        var rows = new List<MasterDataRow>();
        while (csv.Read())
        {
            var fields = new JsonObject();
            for (var i = 0; i < headers.Count && i < csv.FieldCount; i++)
            {
                // An empty cell is an absent field (its default applies), as in the JSON API.
                if (csv.GetStringOrNull(i) is { Length: > 0 } value)
                {
                    fields[headers[i].Trim()] = value;
                }
            }

            rows.Add(new MasterDataRow(kind, rows.Count + 1, fields));
        }

        return (rows, null);
    }

    public static bool TryParseKind(string? name, out MasterDataKind kind) =>
        Enum.TryParse(name, ignoreCase: true, out kind) && Enum.IsDefined(kind) && !int.TryParse(name, out _);
}
