namespace Distribution.Integration;

/// <summary>Stored state of the trading partners.</summary>
[GenerateSerializer]
public sealed class TradingPartnersState
{
    [Id(0)] public Dictionary<string, TradingPartner> Partners { get; set; } = new(StringComparer.Ordinal);
}
