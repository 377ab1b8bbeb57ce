using Distribution.Inventory;

namespace Distribution.Replenishment.Tests;

public sealed class ReorderRuleTests
{
    [Fact]
    public void Position_is_on_hand_plus_inbound_minus_reserved_and_backordered()
    {
        // 100 + 30 − 20 − 5 = 105.
        var position = new InventoryPosition(onHand: 100, inbound: 30, reserved: 20, backordered: 5);

        Assert.Equal(105, position.Units);
        Assert.Equal(65, position.SurplusAbove(40));
        Assert.Equal(0, position.SurplusAbove(105));
        Assert.Equal(0, position.SurplusAbove(200));
        Assert.Equal(0, default(InventoryPosition).Units);
    }

    [Fact]
    public void Position_may_be_negative_when_more_is_owed_than_held()
    {
        // A counted shortfall (−3) and 2 backordered: −3 + 0 − 0 − 2 = −5.
        Assert.Equal(-5, new InventoryPosition(-3, 0, 0, 2).Units);
    }

    [Theory]
    [InlineData(-1, 0, 0, "inbound")]
    [InlineData(0, -1, 0, "reserved")]
    [InlineData(0, 0, -1, "backordered")]
    public void Position_rejects_negative_inbound_reserved_or_backordered(int inbound, int reserved, int backordered, string param)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new InventoryPosition(10, inbound, reserved, backordered));
        Assert.Equal(param, e.ParamName);
    }

    [Fact]
    public void None_never_orders()
    {
        Assert.Equal(ReplenishmentPolicyKind.None, default(ReorderRule).Kind);
        Assert.Equal(ReorderRule.None, default);
        Assert.Equal(0, ReorderRule.None.QuantityToOrder(-100));
        Assert.Equal(0, ReorderRule.None.QuantityToOrder(0));
    }

    [Theory]
    [InlineData(11, 0)]     // above s: nothing
    [InlineData(10, 4)]     // at s: one lot → 14
    [InlineData(7, 4)]      // 7 + 4 = 11 > 10
    [InlineData(6, 8)]      // 6 + 4 = 10 is not above s; 6 + 8 = 14
    [InlineData(2, 12)]     // 2 + 8 = 10 no; 2 + 12 = 14
    [InlineData(-5, 16)]    // backorders: −5 + 16 = 11
    public void Fixed_quantity_orders_enough_lots_to_lift_the_position_above_s(int position, int expected)
    {
        var rule = ReorderRule.FixedQuantity(reorderPoint: 10, orderQuantity: 4);

        Assert.Equal(ReplenishmentPolicyKind.ReorderPoint, rule.Kind);
        Assert.Equal(expected, rule.QuantityToOrder(position));
    }

    [Theory]
    [InlineData(11, 0)]     // above min: nothing
    [InlineData(10, 40)]    // at min: 50 − 10
    [InlineData(3, 47)]
    [InlineData(-5, 55)]
    public void Min_max_orders_up_to_max(int position, int expected)
    {
        var rule = ReorderRule.MinMax(min: 10, max: 50);

        Assert.Equal(ReplenishmentPolicyKind.MinMax, rule.Kind);
        Assert.Equal(expected, rule.QuantityToOrder(position));
    }

    [Theory]
    [InlineData(6, 4, 4)]    // 6 + 4 = 10 still at s: one more lot
    [InlineData(6, 8, 0)]    // 6 + 8 = 14: already covered
    [InlineData(2, 4, 8)]    // 2 + 4 = 6: two more lots → 14
    public void Fixed_quantity_counts_what_is_already_proposed(int position, int proposed, int expected) =>
        Assert.Equal(expected, ReorderRule.FixedQuantity(10, 4).QuantityToOrder(position, proposed));

    [Theory]
    [InlineData(3, 5, 42)]    // 3 + 5 = 8 ≤ 10: 50 − 8
    [InlineData(3, 20, 0)]    // 3 + 20 = 23 > 10: the pending proposal covers the need
    [InlineData(3, 47, 0)]    // the same need is not proposed twice
    public void Min_max_counts_what_is_already_proposed(int position, int proposed, int expected) =>
        Assert.Equal(expected, ReorderRule.MinMax(10, 50).QuantityToOrder(position, proposed));

    [Fact]
    public void An_inventory_position_can_be_passed_directly()
    {
        // 12 + 0 − 4 − 3 = 5 → min/max (10, 50) orders 45.
        Assert.Equal(45, ReorderRule.MinMax(10, 50).QuantityToOrder(new InventoryPosition(12, 0, 4, 3)));
    }

    [Fact]
    public void Min_equal_to_max_is_allowed_and_orders_back_to_it()
    {
        Assert.Equal(6, ReorderRule.MinMax(10, 10).QuantityToOrder(4));
        Assert.Equal(0, ReorderRule.MinMax(10, 10).QuantityToOrder(10));
    }

    [Fact]
    public void Bad_rules_and_inputs_name_their_parameter()
    {
        Assert.Equal("reorderPoint", Assert.Throws<ArgumentOutOfRangeException>(() => ReorderRule.FixedQuantity(-1, 5)).ParamName);
        Assert.Equal("orderQuantity", Assert.Throws<ArgumentOutOfRangeException>(() => ReorderRule.FixedQuantity(10, 0)).ParamName);
        Assert.Equal("min", Assert.Throws<ArgumentOutOfRangeException>(() => ReorderRule.MinMax(-1, 5)).ParamName);
        Assert.Equal("max", Assert.Throws<ArgumentOutOfRangeException>(() => ReorderRule.MinMax(10, 9)).ParamName);
        Assert.Equal("alreadyProposed", Assert.Throws<ArgumentOutOfRangeException>(
            () => ReorderRule.MinMax(10, 20).QuantityToOrder(5, -1)).ParamName);
    }
}
