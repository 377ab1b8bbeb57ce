using Distribution.Common;

namespace Distribution.Integration;

/// <summary>The rules a trading partner must meet (pure; unit tested).</summary>
public static class TradingPartnersValidation
{
    /// <summary>The transaction sets each role may exchange, inbound and outbound (997s go both ways).</summary>
    public static readonly IReadOnlyDictionary<TradingPartnerRole, IReadOnlySet<string>> DocumentsByRole = new Dictionary<TradingPartnerRole, IReadOnlySet<string>>
    {
        [TradingPartnerRole.Customer] = new HashSet<string>(["850", "855", "997"], StringComparer.Ordinal),
        [TradingPartnerRole.Supplier] = new HashSet<string>(["850", "856", "997"], StringComparer.Ordinal),
        [TradingPartnerRole.Warehouse3pl] = new HashSet<string>(["940", "944", "945", "846", "997"], StringComparer.Ordinal),
    };

    /// <summary>The transaction sets the hub receives from each role.</summary>
    public static readonly IReadOnlyDictionary<TradingPartnerRole, IReadOnlySet<string>> InboundByRole = new Dictionary<TradingPartnerRole, IReadOnlySet<string>>
    {
        [TradingPartnerRole.Customer] = new HashSet<string>(["850", "997"], StringComparer.Ordinal),
        [TradingPartnerRole.Supplier] = new HashSet<string>(["856", "997"], StringComparer.Ordinal),
        [TradingPartnerRole.Warehouse3pl] = new HashSet<string>(["944", "945", "846", "997"], StringComparer.Ordinal),
    };

    public static IReadOnlyList<FieldError> Validate(TradingPartner partner)
    {
        var errors = new List<FieldError>();
        Identifiers.Check(errors, "partnerId", partner.PartnerId);
        CheckAddress(errors, "senderId", partner.SenderId);
        CheckAddress(errors, "receiverId", partner.ReceiverId);
        if (!Enum.IsDefined(partner.Role))
        {
            errors.Add(new("role", "must be customer, supplier or warehouse3pl"));
            return errors;
        }

        if (partner.Role == TradingPartnerRole.Warehouse3pl)
        {
            Identifiers.Check(errors, "warehouseId", partner.WarehouseId);
        }
        else if (partner.WarehouseId is not null)
        {
            errors.Add(new("warehouseId", "only a warehouse3pl partner operates a warehouse"));
        }

        if (partner.Role == TradingPartnerRole.Supplier)
        {
            Identifiers.Check(errors, "supplierId", partner.SupplierId);
        }
        else if (partner.SupplierId is not null)
        {
            errors.Add(new("supplierId", "only a supplier partner is a supplier"));
        }

        if (partner.DefaultShipTo is { } shipTo)
        {
            Geo.Check(errors, "defaultShipTo", shipTo);
        }

        if (partner.Name is { Length: > 200 })
        {
            errors.Add(new("name", "must be at most 200 characters"));
        }

        var allowed = DocumentsByRole[partner.Role];
        if (partner.Documents is not { Count: > 0 } documents)
        {
            errors.Add(new("documents", $"must list the transaction sets exchanged ({string.Join(", ", allowed)})"));
            return errors;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < documents.Count; i++)
        {
            if (documents[i] is not { } id || !allowed.Contains(id))
            {
                errors.Add(new($"documents[{i}]", $"a {Role(partner.Role)} exchanges {string.Join(", ", allowed)}"));
            }
            else if (!seen.Add(id))
            {
                errors.Add(new($"documents[{i}]", $"'{id}' is listed twice"));
            }
        }

        return errors;
    }

    /// <summary>Whether two addresses are the same on an envelope (ISA ids are space-padded).</summary>
    public static bool SameAddress(InterchangeAddress? a, InterchangeAddress? b) =>
        a is not null && b is not null
        && string.Equals(a.Qualifier?.Trim(), b.Qualifier?.Trim(), StringComparison.Ordinal)
        && string.Equals(a.Id?.Trim(), b.Id?.Trim(), StringComparison.Ordinal);

    private static void CheckAddress(List<FieldError> errors, string field, InterchangeAddress? address)
    {
        if (address is null)
        {
            errors.Add(new(field, "is required: {qualifier, id} as on the ISA"));
            return;
        }

        if (address.Qualifier is not { Length: 2 } q || !q.All(char.IsAsciiLetterOrDigit))
        {
            errors.Add(new($"{field}.qualifier", "must be two letters or digits (ZZ, 01, 12, …)"));
        }

        if (address.Id is not { Length: >= 1 and <= 15 } id || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            errors.Add(new($"{field}.id", "must be 1-15 letters, digits, '-', '_' or '.'"));
        }
    }

    private static string Role(TradingPartnerRole role) => role == TradingPartnerRole.Warehouse3pl ? "warehouse3pl" : role.ToString().ToLowerInvariant();
}
