using Distribution.Common;

namespace Distribution.Integration;

public enum TradingPartnerRole
{
    /// <summary>Sends purchase orders (850); receives order acknowledgments (855).</summary>
    Customer = 0,
    /// <summary>Receives purchase orders (850); sends ship notices (856).</summary>
    Supplier = 1,
    /// <summary>Operates one of the network's warehouses: receives shipping orders (940); sends shipping advices (945), receipts (944) and inventory advices (846).</summary>
    Warehouse3pl = 2,
}

/// <summary>An X12 interchange address: the ISA qualifier (ISA05/ISA07) and id (ISA06/ISA08).</summary>
[GenerateSerializer, Immutable]
public sealed record InterchangeAddress([property: Id(0)] string? Qualifier, [property: Id(1)] string? Id)
{
    public override string ToString() => $"{Qualifier}:{Id}";
}

/// <summary>
/// A trading partner (master data, <c>PUT /v1/trading-partners/{id}</c>): who it is on the X12
/// envelope, which of the hub's warehouses or suppliers it is, and which documents it exchanges.
/// </summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record TradingPartner
{
    [Id(0)] public required string PartnerId { get; init; }
    /// <summary>The partner's address as it sends (ISA05/ISA06 of its interchanges).</summary>
    [Id(1)] public InterchangeAddress? SenderId { get; init; }
    /// <summary>The hub's address as this partner knows it (ISA07/ISA08 of its interchanges; the sender of the hub's answers).</summary>
    [Id(2)] public InterchangeAddress? ReceiverId { get; init; }
    [Id(3)] public TradingPartnerRole Role { get; init; }
    /// <summary>For a 3PL: the warehouse it operates.</summary>
    [Id(4)] public string? WarehouseId { get; init; }
    /// <summary>For a supplier: the supplier it is.</summary>
    [Id(5)] public string? SupplierId { get; init; }
    /// <summary>The transaction sets exchanged (e.g. 850, 855); inbound sets not listed are rejected in the 997.</summary>
    [Id(6)] public IReadOnlyList<string> Documents { get; init; } = [];
    /// <summary>For a customer: where its orders ship when an 850 carries no coordinates.</summary>
    [Id(7)] public GeoPoint? DefaultShipTo { get; init; }
    /// <summary>Optional display name.</summary>
    [Id(8)] public string? Name { get; init; }
}

/// <summary>The trading partners (one activation, key <see cref="Key"/>; few and rarely changed, read on every interchange).</summary>
public interface ITradingPartnersGrain : IGrainWithStringKey
{
    const string Key = "network";

    /// <summary>Creates or updates a partner; the warehouse or supplier must exist and the sender address must be its own.</summary>
    Task<CommandResult> Upsert(TradingPartner partner);

    [ReadOnly, AlwaysInterleave]
    Task<TradingPartner?> Get(string partnerId);

    [ReadOnly, AlwaysInterleave]
    Task<IReadOnlyList<TradingPartner>> List();

    /// <summary>The partner sending from <paramref name="sender"/> to <paramref name="receiver"/> (ids compared trimmed), if any.</summary>
    [ReadOnly, AlwaysInterleave]
    Task<TradingPartner?> FindBySender(InterchangeAddress sender, InterchangeAddress receiver);
}
