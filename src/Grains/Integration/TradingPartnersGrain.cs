using Distribution.Common;
using Distribution.Integration.BusinessEvents;
using Distribution.Network;

namespace Distribution.Integration;

/// <summary>The trading partners: master data read on every interchange, written rarely.</summary>
public sealed class TradingPartnersGrain(
    [PersistentState("tradingPartners", GrainStorage.Name)] IPersistentState<TradingPartnersState> state,
    IGrainFactory grains) : Grain, ITradingPartnersGrain
{
    public async Task<CommandResult> Upsert(TradingPartner partner)
    {
        var errors = TradingPartnersValidation.Validate(partner);
        if (errors.Count > 0)
        {
            return CommandResult.Invalid(errors);
        }

        var network = grains.GetGrain<INetworkGrain>(INetworkGrain.Key);
        if (partner.WarehouseId is { } warehouseId && await network.GetWarehouse(warehouseId) is null)
        {
            return CommandResult.Invalid([new("warehouseId", $"unknown warehouse '{warehouseId}'")]);
        }

        if (partner.SupplierId is { } supplierId && await network.GetSupplier(supplierId) is null)
        {
            return CommandResult.Invalid([new("supplierId", $"unknown supplier '{supplierId}'")]);
        }

        var partners = state.State.Partners;
        if (partners.Values.FirstOrDefault(p => p.PartnerId != partner.PartnerId
                && TradingPartnersValidation.SameAddress(p.SenderId, partner.SenderId)
                && TradingPartnersValidation.SameAddress(p.ReceiverId, partner.ReceiverId)) is { } other)
        {
            return new CommandResult(CommandOutcome.Conflict,
                [new("senderId", $"partner '{other.PartnerId}' already sends from {partner.SenderId} to {partner.ReceiverId}")]);
        }

        var outcome = partners.ContainsKey(partner.PartnerId) ? CommandOutcome.Updated : CommandOutcome.Created;
        partners[partner.PartnerId] = partner;
        await state.WriteStateAsync();
        // The bus stores orders' and purchase orders' events for outbound EDI only while some partner
        // takes 940s or 850s: every shard knows of this partner before the change is acknowledged.
        await BusinessEventBus.RefreshConsumers(grains);
        return new CommandResult(outcome, []);
    }

    public Task<TradingPartner?> Get(string partnerId) =>
        Task.FromResult(state.State.Partners.GetValueOrDefault(partnerId));

    public Task<IReadOnlyList<TradingPartner>> List() =>
        Task.FromResult<IReadOnlyList<TradingPartner>>([.. state.State.Partners.Values.OrderBy(p => p.PartnerId, StringComparer.Ordinal)]);

    public Task<TradingPartner?> FindBySender(InterchangeAddress sender, InterchangeAddress receiver) =>
        Task.FromResult(state.State.Partners.Values.FirstOrDefault(p =>
            TradingPartnersValidation.SameAddress(p.SenderId, sender) && TradingPartnersValidation.SameAddress(p.ReceiverId, receiver)));
}
