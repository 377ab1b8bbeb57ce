using System.Security.Cryptography;
using System.Text;
using Distribution.Common;
using Distribution.Events;
using Distribution.Inventory;
using Distribution.Orders;
using Distribution.Purchasing;
using Microsoft.Extensions.Options;

namespace Distribution.Integration.Edi;

/// <summary>
/// One received interchange (key <c>{ISA05}:{ISA06}|{ISA13}</c>). Identifies the partner, maps each
/// transaction set to the hub's canonical request and sends it through the same grain calls the
/// JSON API uses, then stores the 997 before answering: a repeat gets the same 997 and does nothing
/// again. A set is applied whole or not at all: it is checked (mapping, then the same pure
/// validation the grain or event ingest applies) before anything is sent, so a broken set changes
/// nothing. Calls are not interleaved, so two copies of an interchange arriving together are
/// processed once. If a crash falls between applying and storing, the retry applies again, which
/// every target recognises (order and purchase order ids, event ids, snapshot times).
/// </summary>
public sealed class EdiInterchangeGrain(
    [PersistentState("ediInterchange", GrainStorage.Name)] IPersistentState<EdiInterchangeState> state,
    IGrainFactory grains,
    TimeProvider time,
    IOptions<AllocationOptions> options) : Grain, IEdiInterchangeGrain
{
    public async Task<EdiReceipt> Receive(string interchange)
    {
        var fingerprint = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(interchange)));
        if (state.State.Acknowledgment is { } stored)
        {
            return string.Equals(state.State.Fingerprint, fingerprint, StringComparison.Ordinal)
                ? new EdiReceipt(EdiReceiptOutcome.Replayed, stored, [])
                : new EdiReceipt(EdiReceiptOutcome.Conflict, null,
                    [new FieldError("ISA13", $"interchange control number {ControlNumberOf()} was used by this sender before for another interchange")]);
        }

        var parsed = X12Parser.Parse(interchange);
        if (parsed.Interchange is not { } received)
        {
            return parsed.Isa is { } isa ? await RejectEnvelopeAsync(isa, parsed.Error!, fingerprint) : Refused(parsed.Error!);
        }

        var partner = await grains.GetGrain<ITradingPartnersGrain>(ITradingPartnersGrain.Key)
            .FindBySender(new InterchangeAddress(received.Sender.Qualifier, received.Sender.Id), new InterchangeAddress(received.Receiver.Qualifier, received.Receiver.Id));
        if (partner is null)
        {
            return Refused("ISA06", $"no trading partner sends from {received.Sender} to {received.Receiver}");
        }

        var outcomes = new List<X12GroupOutcome>(received.Groups.Count);
        foreach (var group in received.Groups)
        {
            var sets = new List<X12SetOutcome>(group.Sets.Count);
            foreach (var set in group.Sets)
            {
                if (group.Errors.Count > 0)
                {
                    sets.Add(X12SetOutcome.Reject(set, set.Errors, []));
                    continue;
                }

                var outcome = await ProcessAsync(set, partner);
                if (outcome is null)
                {
                    // Event application is behind: nothing of this interchange is stored, the sender retries it whole.
                    return new EdiReceipt(EdiReceiptOutcome.Busy, null, [new FieldError("interchange", "the hub is behind applying warehouse events; send the same interchange again")], EventBacklogRetry);
                }

                sets.Add(outcome);
            }

            outcomes.Add(new X12GroupOutcome(group, sets));
        }

        var outbox = grains.GetGrain<IEdiOutboxGrain>(partner.PartnerId);
        var controlNumber = await outbox.NextControlNumber();
        // The outbox keeps one 997 per interchange: after a crash before the state below was
        // stored, the retry answers with the 997 the outbox already holds.
        var acknowledgment = (await outbox.Add(new EdiOutboundDocument
        {
            ControlNumber = controlNumber,
            SetId = FunctionalAcknowledgment.SetId,
            Reference = this.GetPrimaryKeyString(),
            CreatedAt = time.GetUtcNow(),
            Interchange = X12Writer.Write(FunctionalAcknowledgment.For(received, outcomes, controlNumber, time.GetUtcNow())),
        })).Interchange;
        state.State.Fingerprint = fingerprint;
        state.State.Acknowledgment = acknowledgment;
        state.State.PartnerId = partner.PartnerId;
        state.State.ReceivedAt = time.GetUtcNow();
        await state.WriteStateAsync();
        return new EdiReceipt(EdiReceiptOutcome.Acknowledged, acknowledgment, []);
    }

    private static readonly TimeSpan EventBacklogRetry = TimeSpan.FromSeconds(1);

    private async Task<X12SetOutcome?> ProcessAsync(X12TransactionSet set, TradingPartner partner)
    {
        if (set.Errors.Count > 0)
        {
            return X12SetOutcome.Reject(set, set.Errors, []);
        }

        if (!partner.Documents.Contains(set.Id) || !TradingPartnersValidation.InboundByRole[partner.Role].Contains(set.Id) || set.Id == FunctionalAcknowledgment.SetId)
        {
            return set.Id == FunctionalAcknowledgment.SetId
                ? X12SetOutcome.Accept(set) // a 997 for what the hub sent: nothing to apply
                : X12SetOutcome.Reject(set, [X12SetErrorCode.NotSupported], []);
        }

        var context = new EdiPartnerContext(partner.PartnerId, partner.WarehouseId, partner.DefaultShipTo);
        IReadOnlyList<X12SegmentError>? errors = set.Id switch
        {
            "850" => await OrderAsync(set, context, partner),
            "856" => await ShipNoticeAsync(set, partner),
            "945" => await EventsAsync(InboundMappings.ShippingAdvice945(set, context)),
            "944" => await EventsAsync(InboundMappings.StockReceipt944(set, context)),
            "846" => await SnapshotAsync(set, context),
            _ => [new X12SegmentError(set.St.Id, set.St.Position, X12SegmentErrorCode.ElementErrors, $"the hub does not read {set.Id}", [])],
        };
        if (errors is null)
        {
            return null;
        }

        return errors.Count == 0 ? X12SetOutcome.Accept(set) : X12SetOutcome.Reject(set, [], errors);
    }

    private async Task<IReadOnlyList<X12SegmentError>> OrderAsync(X12TransactionSet set, EdiPartnerContext partner, TradingPartner customer)
    {
        var mapped = InboundMappings.Order850(set, partner);
        if (!mapped.Succeeded)
        {
            return mapped.Errors;
        }

        var order = mapped.Value!;
        var result = await grains.GetGrain<IOrderGrain>(order.OrderId!).Place(order);
        if (result.Outcome is not (CommandOutcome.Created or CommandOutcome.Replayed) || result.Order is not { } placed)
        {
            return [.. result.Errors.Select(mapped.Source.Locate)];
        }

        await SendOrderDocumentsAsync(placed, customer);
        return [];
    }

    /// <summary>
    /// An order placed from an 850 is answered with an 855 in the customer's outbox (generated here,
    /// where the order is known to come from that customer). 940s to 3PLs follow from the order's
    /// allocated event for every order, whatever its channel (<see cref="EdiOutboundGrain"/>). The
    /// outbox keeps one document per set and order, so a retry after a crash does not send it twice.
    /// </summary>
    private async Task SendOrderDocumentsAsync(OrderView order, TradingPartner customer)
    {
        if (customer.Documents.Contains("855"))
        {
            var poNumber = order.OrderId[(customer.PartnerId.Length + 1)..];
            await PartnerOutbox.SendOnceAsync(grains, customer, "855", order.OrderId, OutboundDocuments.OrderAcknowledgment855(order, poNumber), time.GetUtcNow());
        }
    }

    private async Task<IReadOnlyList<X12SegmentError>> ShipNoticeAsync(X12TransactionSet set, TradingPartner partner)
    {
        var mapped = InboundMappings.ShipNotice856(set);
        if (!mapped.Succeeded)
        {
            return mapped.Errors;
        }

        // Every purchase order is checked before any notice is recorded (existence, supplier, named
        // once, its status, the notice against its lines), so a bad one changes nothing: either
        // every notice of the set is recorded or none. Only a purchase order changed by another
        // request between this check and the recording can still be refused below (the 997 names it).
        var now = time.GetUtcNow();
        var errors = new List<X12SegmentError>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (notice, source) in mapped.Value!)
        {
            var view = await grains.GetGrain<IPurchaseOrderGrain>(notice.PurchaseOrderId).Get();
            var seenBefore = !seen.Add(notice.PurchaseOrderId);
            errors.AddRange(ShipNoticeChecks.Check(notice.PurchaseOrderId, notice.Notice, view, partner.SupplierId, seenBefore, now).Select(source.Locate));
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        foreach (var (notice, source) in mapped.Value!)
        {
            var result = await grains.GetGrain<IPurchaseOrderGrain>(notice.PurchaseOrderId).Ship(notice.Notice);
            if (result.Outcome is not (CommandOutcome.Created or CommandOutcome.Replayed or CommandOutcome.Updated))
            {
                errors.AddRange(result.Errors.Select(source.Locate));
            }
        }

        return errors;
    }

    /// <returns>null when the event journal is behind (nothing was taken).</returns>
    private async Task<IReadOnlyList<X12SegmentError>?> EventsAsync(X12Mapped<IReadOnlyList<WarehouseEventRequest>> mapped)
    {
        if (!mapped.Succeeded)
        {
            return mapped.Errors;
        }

        // The same checks the ingest applies, first, so the set is taken whole or not at all.
        var events = mapped.Value!;
        var now = time.GetUtcNow();
        var errors = new List<X12SegmentError>();
        for (var i = 0; i < events.Count; i++)
        {
            errors.AddRange(EventValidation.Validate(events[i], $"events[{i}]", now, options.Value.EventDedupeWindow, out _).Select(mapped.Source.Locate));
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        var result = await grains.GetGrain<IEventIngestGrain>(0).Ingest(events);
        if (result.RetryAfter is not null)
        {
            return null;
        }

        return [.. result.Results.Where(r => r.Status == EventVerdictStatus.Rejected).SelectMany(r => r.Errors).Select(mapped.Source.Locate)];
    }

    private async Task<IReadOnlyList<X12SegmentError>> SnapshotAsync(X12TransactionSet set, EdiPartnerContext partner)
    {
        var mapped = InboundMappings.InventoryAdvice846(set, partner);
        if (!mapped.Succeeded)
        {
            return mapped.Errors;
        }

        var result = await grains.GetGrain<IInventorySyncGrain>(0).ApplySnapshot(mapped.Value!);
        return result.Outcome is CommandOutcome.Invalid or CommandOutcome.NotFound or CommandOutcome.Conflict
            ? [.. result.Errors.Select(mapped.Source.Locate)]
            : [];
    }

    private string ControlNumberOf()
    {
        var key = this.GetPrimaryKeyString();
        return key[(key.LastIndexOf('|') + 1)..];
    }

    /// <summary>
    /// The ISA was read but the envelope is broken (IEA not matching, wrong group count, truncated,
    /// segments out of place): a known sender gets a TA1 rejection naming the note code, kept in its
    /// outbox; nothing is applied and nothing is stored here, so the sender may correct the
    /// interchange and send it again under the same control number. An unknown sender cannot be
    /// addressed: refused as before.
    /// </summary>
    private async Task<EdiReceipt> RejectEnvelopeAsync(X12Segment isa, X12EnvelopeError error, string fingerprint)
    {
        var partner = await grains.GetGrain<ITradingPartnersGrain>(ITradingPartnersGrain.Key)
            .FindBySender(new InterchangeAddress(isa[5], isa[6].Trim()), new InterchangeAddress(isa[7], isa[8].Trim()));
        if (partner is null)
        {
            return Refused(error);
        }

        var outbox = grains.GetGrain<IEdiOutboxGrain>(partner.PartnerId);
        var reference = $"{this.GetPrimaryKeyString()}#{fingerprint[..16]}";
        var kept = (await outbox.List()).FirstOrDefault(d => d.SetId == InterchangeAcknowledgment.SegmentId && d.Reference == reference);
        if (kept is null)
        {
            var controlNumber = await outbox.NextControlNumber();
            kept = await outbox.Add(new EdiOutboundDocument
            {
                ControlNumber = controlNumber,
                SetId = InterchangeAcknowledgment.SegmentId,
                Reference = reference,
                CreatedAt = time.GetUtcNow(),
                Interchange = X12Writer.Write(InterchangeAcknowledgment.Rejection(isa, error.Note, controlNumber, time.GetUtcNow())),
            });
        }

        return new EdiReceipt(EdiReceiptOutcome.InterchangeRejected, kept.Interchange, [new FieldError(error.Field, error.Message)]);
    }

    private static EdiReceipt Refused(string field, string message) =>
        new(EdiReceiptOutcome.Refused, null, [new FieldError(field, message)]);

    /// <summary>An interchange refused without an answer in X12 (unreadable ISA, or nobody to address).</summary>
    public static EdiReceipt Refused(X12EnvelopeError error) => Refused(error.Field, $"{error.Message} (segment {error.Position})");

    /// <summary>The grain key of an interchange: its sender and control number.</summary>
    public static string KeyOf(X12Interchange interchange) => $"{interchange.Sender}|{interchange.ControlNumber}";

    /// <summary>The grain key of an interchange whose envelope could not be read beyond its ISA.</summary>
    public static string KeyOf(X12Segment isa) => $"{new X12Party(isa[5], isa[6].Trim())}|{isa[13]}";
}
