namespace Distribution.Integration.Edi;

/// <summary>Writes a document the hub generated into a trading partner's outbox, once per set and reference.</summary>
internal static class PartnerOutbox
{
    /// <summary>
    /// Wraps <paramref name="body"/> in an interchange from the hub's address as the partner knows it
    /// and keeps it in the partner's outbox, unless the outbox already holds that set for that
    /// reference (a repeated event, a retry after a crash): then nothing is written and no control
    /// number is spent.
    /// </summary>
    /// <returns>Whether a document was written.</returns>
    public static async Task<bool> SendOnceAsync(IGrainFactory grains, TradingPartner partner, string setId, string reference, IReadOnlyList<X12Segment> body, DateTimeOffset at)
    {
        var outbox = grains.GetGrain<IEdiOutboxGrain>(partner.PartnerId);
        if (await outbox.Holds(setId, reference))
        {
            return false;
        }

        var controlNumber = await outbox.NextControlNumber();
        var hub = new X12Party(partner.ReceiverId!.Qualifier!, partner.ReceiverId.Id!);
        var to = new X12Party(partner.SenderId!.Qualifier!, partner.SenderId.Id!);
        await outbox.Add(new EdiOutboundDocument
        {
            ControlNumber = controlNumber,
            SetId = setId,
            Reference = reference,
            CreatedAt = at,
            Interchange = X12Writer.Write(OutboundDocuments.Interchange(hub, to, controlNumber, at, setId, body)),
        });
        return true;
    }
}
