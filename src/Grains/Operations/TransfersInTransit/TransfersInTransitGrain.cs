using Distribution.Common;
using Distribution.Transfers;

namespace Distribution.Operations;

/// <summary>
/// The transfers in transit, told by each transfer after its shipments, receipts and cancellation.
/// Reentrant with one coalesced write: transfers tell it from inside their own turns, and a wave
/// of shipments should share writes rather than queue. Stored, so the list survives a restart.
/// </summary>
[Reentrant]
public sealed class TransfersInTransitGrain : Grain, ITransfersInTransitGrain
{
    private readonly IPersistentState<TransfersInTransitState> _state;
    private readonly CoalescedWriter _writer;

    public TransfersInTransitGrain(
        [PersistentState("transfersInTransit", GrainStorage.Name)] IPersistentState<TransfersInTransitState> state,
        ILogger<TransfersInTransitGrain> logger)
    {
        _state = state;
        _writer = CoalescedWriter.ForState(this, _state, logger);
    }

    public Task Track(InTransitTransfer transfer)
    {
        var transfers = _state.State.Transfers;
        if (transfer.Units > 0)
        {
            if (transfers.TryGetValue(transfer.TransferId, out var known) && known == transfer)
            {
                return Task.CompletedTask;
            }

            transfers[transfer.TransferId] = transfer;
        }
        else if (!transfers.Remove(transfer.TransferId))
        {
            return Task.CompletedTask;
        }

        return _writer.WriteAsync();
    }

    public Task<IReadOnlyList<InTransitTransfer>> List() => Task.FromResult<IReadOnlyList<InTransitTransfer>>(
        [.. _state.State.Transfers.Values.OrderBy(t => t.Eta).ThenBy(t => t.TransferId, StringComparer.Ordinal)]);

    /// <summary>What a transfer tells the index (pure; its units in transit over every line).</summary>
    public static InTransitTransfer Of(TransferView transfer) => new()
    {
        TransferId = transfer.TransferId,
        FromWarehouseId = transfer.FromWarehouseId,
        ToWarehouseId = transfer.ToWarehouseId,
        Units = transfer.Status is TransferStatus.Cancelled or TransferStatus.Rejected ? 0 : transfer.Lines.Sum(l => l.InTransitQuantity),
        Eta = transfer.Eta,
        Status = transfer.Status,
    };
}
