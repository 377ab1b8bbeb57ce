using Distribution.Common;
using Distribution.Inventory;

namespace Distribution.Network;

/// <summary>Rules for master data upserts (pure; the gateway maps the errors to problem+json).</summary>
public static class MasterDataValidation
{
    public static IReadOnlyList<FieldError> Validate(WarehouseInfo w)
    {
        var errors = new List<FieldError>();
        Identifiers.Check(errors, "warehouseId", w.WarehouseId);
        RequireName(errors, "name", w.Name);
        // The HTTP body carries latitude and longitude at the top level.
        if (w.Location is null)
        {
            errors.Add(new("latitude", "is required"));
        }
        else
        {
            Geo.Check(errors, "", w.Location);
        }
        if (!Enum.IsDefined(w.Status))
        {
            errors.Add(new("status", "must be active, degraded or offline"));
        }

        if (w.DailyOrderCapacity is < 0)
        {
            errors.Add(new("dailyOrderCapacity", "must be 0 or more (omit for unlimited)"));
        }

        if (w.ReceivingCapacityPerDay is < 0)
        {
            errors.Add(new("receivingCapacityPerDay", "must be 0 or more (omit for unlimited)"));
        }

        if (!IsKnownTimeZone(w.TimeZone))
        {
            errors.Add(new("timeZone", $"'{w.TimeZone}' is not a known IANA time zone"));
        }

        return errors;
    }

    public static IReadOnlyList<FieldError> Validate(ItemInfo item)
    {
        var errors = new List<FieldError>();
        Identifiers.Check(errors, "sku", item.Sku);
        if (item.Description is { Length: > 500 })
        {
            errors.Add(new("description", "must be at most 500 characters"));
        }

        if (string.IsNullOrWhiteSpace(item.UnitOfMeasure) || item.UnitOfMeasure.Length > 16)
        {
            errors.Add(new("unitOfMeasure", "is required (at most 16 characters)"));
        }

        if (item.DefaultSupplierId is not null)
        {
            Identifiers.Check(errors, "defaultSupplierId", item.DefaultSupplierId);
        }

        return errors;
    }

    public static IReadOnlyList<FieldError> Validate(SupplierInfo s)
    {
        var errors = new List<FieldError>();
        Identifiers.Check(errors, "supplierId", s.SupplierId);
        RequireName(errors, "name", s.Name);
        if (!double.IsFinite(s.LeadTimeDays) || s.LeadTimeDays < 0)
        {
            errors.Add(new("leadTimeDays", "must be 0 or more"));
        }

        if (!double.IsFinite(s.LeadTimeStdDevDays) || s.LeadTimeStdDevDays < 0)
        {
            errors.Add(new("leadTimeStdDevDays", "must be 0 or more"));
        }

        return errors;
    }

    public static IReadOnlyList<FieldError> Validate(LaneInfo lane)
    {
        var errors = new List<FieldError>();
        Identifiers.Check(errors, "fromWarehouseId", lane.FromWarehouseId);
        Identifiers.Check(errors, "toWarehouseId", lane.ToWarehouseId);
        if (lane.FromWarehouseId == lane.ToWarehouseId)
        {
            errors.Add(new("toWarehouseId", "must differ from fromWarehouseId"));
        }

        if (!double.IsFinite(lane.TransitDays) || lane.TransitDays < 0)
        {
            errors.Add(new("transitDays", "must be 0 or more"));
        }

        if (lane.CostPerUnit < 0)
        {
            errors.Add(new("costPerUnit", "must be 0 or more"));
        }

        return errors;
    }

    public static IReadOnlyList<FieldError> Validate(ReplenishmentPolicy p)
    {
        var errors = new List<FieldError>();
        if (!Enum.IsDefined(p.Kind))
        {
            errors.Add(new("kind", "must be none, reorderPoint or minMax"));
        }

        if (p.ServiceLevel is { } level && !(level > 0 && level < 1))
        {
            errors.Add(new("serviceLevel", "must be between 0 and 1 (exclusive)"));
        }

        if (p.SafetyStock is < 0)
        {
            errors.Add(new("safetyStock", "must be 0 or more"));
        }

        if (p.ReorderPoint is < 0)
        {
            errors.Add(new("reorderPoint", "must be 0 or more"));
        }

        if (p.OrderQuantity is <= 0)
        {
            errors.Add(new("orderQuantity", "must be 1 or more"));
        }

        if (!Enum.IsDefined(p.Mode))
        {
            errors.Add(new("mode", "must be recommend or automatic"));
        }

        if (p.OrderUpTo is < 0)
        {
            errors.Add(new("orderUpTo", "must be 0 or more"));
        }
        else if (p.OrderUpTo is { } upTo && p.ReorderPoint is { } rop && upTo < rop)
        {
            errors.Add(new("orderUpTo", "must not be below reorderPoint"));
        }

        if (p.PreferredSource is not null)
        {
            Identifiers.Check(errors, "preferredSource", p.PreferredSource);
        }

        return errors;
    }

    public static bool IsKnownTimeZone(string? id) =>
        !string.IsNullOrEmpty(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out _);

    private static void RequireName(List<FieldError> errors, string field, string? name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 200)
        {
            errors.Add(new(field, "is required (at most 200 characters)"));
        }
    }
}
