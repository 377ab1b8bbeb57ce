namespace Distribution.Replenishment.Tests;

public sealed class TransferOrBuyTests
{
    private const string Destination = "DEST";

    // A Monday; the supplier delivers in 10 days (σ 2).
    private static readonly DateOnly Today = new(2025, 3, 3);
    private static readonly SupplierOffer Acme = new("ACME", new LeadTime(10, 2));

    private static TransferCandidate Wh(string id, int surplus, double transitDays, decimal costPerUnit = 1m) =>
        new(id, surplus, new TransferLane(transitDays, costPerUnit));

    private static SourceDecision Decide(
        int quantity,
        IReadOnlyList<TransferCandidate> candidates,
        SupplierOffer? supplier,
        string? preferredSource = null,
        decimal? maxCost = null) =>
        TransferOrBuy.Decide(Destination, quantity, Today, candidates, supplier, preferredSource, maxCost);

    [Fact]
    public void The_warehouse_with_the_most_surplus_transfers_when_its_lane_beats_the_supplier()
    {
        var decision = Decide(40, [Wh("A", 30, 2), Wh("B", 50, 3)], Acme);

        var p = Assert.Single(decision.Proposals);
        Assert.Equal(new ReplenishmentProposal(ProposalKind.Transfer, "B", 40, Today.AddDays(3), p.Reason), p);
        Assert.Contains("from B", p.Reason, StringComparison.Ordinal);
        Assert.Contains("beats ACME's 10-day lead time", p.Reason, StringComparison.Ordinal);
        Assert.True(decision.IsFilled);
        Assert.Null(decision.UnfilledReason);
    }

    [Fact]
    public void What_the_transfer_cannot_cover_is_bought()
    {
        // Need 80: B transfers all of its 50 surplus, ACME gets 80 − 50 = 30.
        var decision = Decide(80, [Wh("A", 30, 2), Wh("B", 50, 3)], Acme);

        Assert.Equal(2, decision.Proposals.Count);
        var (transfer, purchase) = (decision.Proposals[0], decision.Proposals[1]);
        Assert.Equal((ProposalKind.Transfer, "B", 50, Today.AddDays(3)), (transfer.Kind, transfer.SourceId, transfer.Quantity, transfer.ExpectedArrival));
        Assert.Equal((ProposalKind.Purchase, "ACME", 30, Today.AddDays(10)), (purchase.Kind, purchase.SourceId, purchase.Quantity, purchase.ExpectedArrival));
        Assert.Contains("covers 50 of 80", purchase.Reason, StringComparison.Ordinal);
        Assert.True(decision.IsFilled);
    }

    [Theory]
    [InlineData(10.0)]   // as slow as the supplier: not faster
    [InlineData(12.0)]
    public void A_lane_no_faster_than_the_supplier_does_not_transfer(double transitDays)
    {
        var decision = Decide(40, [Wh("B", 500, transitDays)], Acme);

        var p = Assert.Single(decision.Proposals);
        Assert.Equal((ProposalKind.Purchase, "ACME", 40), (p.Kind, p.SourceId, p.Quantity));
        Assert.Contains("no lane from a warehouse with surplus is faster than ACME's 10-day lead time", p.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_faster_lane_wins_over_more_surplus_on_a_slower_one()
    {
        // B has more surplus but its lane is slower than the supplier: A (eligible) transfers.
        var decision = Decide(20, [Wh("A", 30, 2), Wh("B", 100, 11)], Acme);

        Assert.Equal("A", Assert.Single(decision.Proposals).SourceId);
    }

    [Fact]
    public void A_candidate_without_a_lane_is_not_eligible()
    {
        var decision = Decide(40, [new TransferCandidate("B", 100, Lane: null), Wh("A", 30, 2)], Acme);

        Assert.Equal(
            [(ProposalKind.Transfer, "A", 30), (ProposalKind.Purchase, "ACME", 10)],
            decision.Proposals.Select(p => (p.Kind, p.SourceId, p.Quantity)));
    }

    [Fact]
    public void Candidates_without_surplus_or_the_destination_itself_do_not_transfer()
    {
        var decision = Decide(10, [Wh("A", 0, 1), Wh(Destination, 100, 0)], Acme);

        var p = Assert.Single(decision.Proposals);
        Assert.Equal((ProposalKind.Purchase, "ACME"), (p.Kind, p.SourceId));
        Assert.Contains("no other warehouse has surplus", p.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lane_above_the_maximum_cost_is_not_used()
    {
        var decision = Decide(20, [Wh("A", 30, 2, 0.80m), Wh("B", 50, 2, 1.50m)], Acme, maxCost: 1.00m);
        Assert.Equal("A", Assert.Single(decision.Proposals).SourceId);

        var allTooDear = Decide(20, [Wh("B", 50, 2, 1.50m)], Acme, maxCost: 1.00m);
        var p = Assert.Single(allTooDear.Proposals);
        Assert.Equal(ProposalKind.Purchase, p.Kind);
        Assert.Contains("costs more than 1.00 per unit", p.Reason, StringComparison.Ordinal);

        // At the maximum is within it.
        Assert.Equal("B", Assert.Single(Decide(20, [Wh("B", 50, 2, 1.00m)], Acme, maxCost: 1.00m).Proposals).SourceId);
    }

    [Fact]
    public void Equal_surplus_goes_to_the_shorter_transit_then_the_lower_cost_then_the_id()
    {
        Assert.Equal("SLOW-B", Source(Decide(10, [Wh("SLOW-A", 50, 4), Wh("SLOW-B", 50, 3)], Acme)));
        Assert.Equal("Y", Source(Decide(10, [Wh("X", 50, 3, 2m), Wh("Y", 50, 3, 1m)], Acme)));

        // Ordinal: "W-B" < "W-a" (uppercase before lowercase), whatever the input order.
        Assert.Equal("W-B", Source(Decide(10, [Wh("W-a", 50, 3), Wh("W-B", 50, 3), Wh("W-c", 50, 3)], Acme)));
        Assert.Equal("W-B", Source(Decide(10, [Wh("W-c", 50, 3), Wh("W-B", 50, 3), Wh("W-a", 50, 3)], Acme)));

        static string Source(SourceDecision d) => Assert.Single(d.Proposals).SourceId;
    }

    [Fact]
    public void Without_a_supplier_any_lane_transfers_and_the_rest_is_unfilled()
    {
        // A 20-day lane is fine when nothing can be bought. Need 80, surplus 50: 30 unfilled.
        var decision = Decide(80, [Wh("B", 50, 20)], supplier: null);

        var p = Assert.Single(decision.Proposals);
        Assert.Equal((ProposalKind.Transfer, "B", 50, Today.AddDays(20)), (p.Kind, p.SourceId, p.Quantity, p.ExpectedArrival));
        Assert.Contains("no supplier to buy from", p.Reason, StringComparison.Ordinal);
        Assert.False(decision.IsFilled);
        Assert.Equal(30, decision.UnfilledQuantity);
        Assert.Equal("no supplier for the SKU; the transfer from B covers 50 of 80", decision.UnfilledReason);
    }

    [Fact]
    public void Without_a_supplier_or_an_eligible_transfer_nothing_is_proposed_and_the_reason_says_why()
    {
        var noSurplus = Decide(40, [], supplier: null);
        Assert.Empty(noSurplus.Proposals);
        Assert.Equal(40, noSurplus.UnfilledQuantity);
        Assert.Equal("no supplier for the SKU; no other warehouse has surplus", noSurplus.UnfilledReason);

        var noLane = Decide(40, [new TransferCandidate("B", 100, null)], supplier: null);
        Assert.Empty(noLane.Proposals);
        Assert.Equal("no supplier for the SKU; no warehouse with surplus has a lane to DEST", noLane.UnfilledReason);
    }

    [Fact]
    public void A_preferred_warehouse_is_honoured_when_it_qualifies_even_if_slower()
    {
        // A has less surplus than B and a 12-day lane (slower than ACME), but the policy prefers it.
        var decision = Decide(40, [Wh("A", 30, 12), Wh("B", 50, 3)], Acme, preferredSource: "A");

        Assert.Equal(
            [(ProposalKind.Transfer, "A", 30), (ProposalKind.Purchase, "ACME", 10)],
            decision.Proposals.Select(p => (p.Kind, p.SourceId, p.Quantity)));
        Assert.EndsWith("preferred source", decision.Proposals[0].Reason, StringComparison.Ordinal);
        Assert.Equal(Today.AddDays(12), decision.Proposals[0].ExpectedArrival);
    }

    [Fact]
    public void A_preferred_warehouse_that_does_not_qualify_falls_back_and_says_so()
    {
        var noSurplus = Decide(40, [Wh("A", 0, 1), Wh("B", 50, 3)], Acme, preferredSource: "A");
        var p = Assert.Single(noSurplus.Proposals);
        Assert.Equal("B", p.SourceId);
        Assert.Contains("preferred source A has no surplus", p.Reason, StringComparison.Ordinal);

        var tooDear = Decide(40, [Wh("A", 60, 1, 5m)], Acme, preferredSource: "A", maxCost: 2m);
        var purchase = Assert.Single(tooDear.Proposals);
        Assert.Equal(ProposalKind.Purchase, purchase.Kind);
        Assert.Contains("preferred source A costs 5 per unit, above 2", purchase.Reason, StringComparison.Ordinal);

        var unknown = Decide(40, [Wh("B", 50, 3)], Acme, preferredSource: "NOWHERE");
        Assert.Contains("preferred source NOWHERE is neither", Assert.Single(unknown.Proposals).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_preferred_supplier_takes_the_whole_need_even_when_a_transfer_qualifies()
    {
        var decision = Decide(40, [Wh("B", 50, 3)], Acme, preferredSource: "ACME");

        var p = Assert.Single(decision.Proposals);
        Assert.Equal((ProposalKind.Purchase, "ACME", 40, Today.AddDays(10)), (p.Kind, p.SourceId, p.Quantity, p.ExpectedArrival));
        Assert.EndsWith("preferred source", p.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Fractional_transit_and_lead_times_arrive_on_the_next_whole_day()
    {
        var supplier = new SupplierOffer("ACME", new LeadTime(7.2));
        var decision = Decide(60, [Wh("B", 50, 1.5)], supplier);

        Assert.Equal([Today.AddDays(2), Today.AddDays(8)], decision.Proposals.Select(p => p.ExpectedArrival));
    }

    [Fact]
    public void Nothing_needed_proposes_nothing()
    {
        var decision = Decide(0, [Wh("B", 50, 3)], Acme);

        Assert.Empty(decision.Proposals);
        Assert.True(decision.IsFilled);
        Assert.Null(decision.UnfilledReason);
    }

    [Fact]
    public void Bad_inputs_name_their_parameter()
    {
        Assert.Equal("destinationId", Assert.ThrowsAny<ArgumentException>(
            () => TransferOrBuy.Decide("", 1, Today, [], Acme)).ParamName);
        Assert.Equal("destinationId", Assert.ThrowsAny<ArgumentException>(
            () => TransferOrBuy.Decide(null!, 1, Today, [], Acme)).ParamName);
        Assert.Equal("quantity", Assert.Throws<ArgumentOutOfRangeException>(
            () => Decide(-1, [], Acme)).ParamName);
        Assert.Equal("candidates", Assert.Throws<ArgumentNullException>(
            () => Decide(1, null!, Acme)).ParamName);
        Assert.Equal("candidates", Assert.Throws<ArgumentException>(
            () => Decide(1, [Wh("A", 1, 1), Wh("A", 2, 2)], Acme)).ParamName);
        Assert.Equal("candidates", Assert.Throws<ArgumentException>(
            () => Decide(1, [Wh(" ", 1, 1)], Acme)).ParamName);
        Assert.Equal("candidates", Assert.Throws<ArgumentException>(
            () => Decide(1, [null!], Acme)).ParamName);
        Assert.Equal("candidates", Assert.Throws<ArgumentOutOfRangeException>(
            () => Decide(1, [Wh("A", -1, 1)], Acme)).ParamName);
        Assert.Equal("candidates", Assert.Throws<ArgumentOutOfRangeException>(
            () => Decide(1, [Wh("A", 1, -1)], Acme)).ParamName);
        Assert.Equal("candidates", Assert.Throws<ArgumentOutOfRangeException>(
            () => Decide(1, [Wh("A", 1, 1, -0.01m)], Acme)).ParamName);
        Assert.Equal("supplier", Assert.Throws<ArgumentException>(
            () => Decide(1, [], new SupplierOffer("", new LeadTime(1)))).ParamName);
        Assert.Equal("maxTransferCostPerUnit", Assert.Throws<ArgumentOutOfRangeException>(
            () => Decide(1, [], Acme, maxCost: -1m)).ParamName);
    }
}
