using Distribution.Common;
using Distribution.Inventory;

namespace Distribution.Network.Validation.Tests;

public sealed class MasterDataValidationTests
{
    private static readonly WarehouseInfo Warehouse = new()
    {
        WarehouseId = "WH-BER",
        Name = "Berlin DC",
        Location = new GeoPoint(52.52, 13.405),
        Status = WarehouseStatus.Active,
        DailyOrderCapacity = 500,
        ReceivingCapacityPerDay = 200,
        TimeZone = "Europe/Berlin",
    };

    private static readonly ItemInfo Item = new() { Sku = "SKU-A", Description = "A thing", UnitOfMeasure = "EA", DefaultSupplierId = "SUP-1" };

    private static readonly SupplierInfo Supplier = new() { SupplierId = "SUP-1", Name = "Acme", LeadTimeDays = 5, LeadTimeStdDevDays = 1.5 };

    private static readonly LaneInfo Lane = new() { FromWarehouseId = "WH-BER", ToWarehouseId = "WH-PAR", TransitDays = 2, CostPerUnit = 0.5m };

    private static readonly ReplenishmentPolicy Policy = new()
    {
        Kind = ReplenishmentPolicyKind.MinMax,
        ServiceLevel = 0.95,
        SafetyStock = 10,
        ReorderPoint = 20,
        OrderUpTo = 50,
        PreferredSource = "SUP-1",
    };

    private static void AssertSingleError(IReadOnlyList<FieldError> errors, string field) =>
        Assert.Equal(field, Assert.Single(errors).Field);

    // Warehouses

    [Fact]
    public void Valid_warehouse_has_no_errors() => Assert.Empty(MasterDataValidation.Validate(Warehouse));

    [Fact]
    public void Warehouse_with_unlimited_capacities_and_default_time_zone_is_valid() =>
        Assert.Empty(MasterDataValidation.Validate(new WarehouseInfo
        {
            WarehouseId = "WH-1",
            Name = "One",
            Location = new GeoPoint(0, 0),
        }));

    [Theory]
    [InlineData(91, 0, "latitude")]
    [InlineData(-91, 0, "latitude")]
    [InlineData(double.NaN, 0, "latitude")]
    [InlineData(0, 181, "longitude")]
    [InlineData(0, -181, "longitude")]
    [InlineData(0, double.PositiveInfinity, "longitude")]
    public void Warehouse_coordinates_are_named_at_the_top_level(double latitude, double longitude, string field) =>
        AssertSingleError(MasterDataValidation.Validate(Warehouse with { Location = new GeoPoint(latitude, longitude) }), field);

    [Theory]
    [InlineData("Mars/Base")]
    [InlineData("")]
    [InlineData("Europe/Atlantis")]
    public void Warehouse_with_unknown_time_zone_is_rejected(string timeZone)
    {
        var errors = MasterDataValidation.Validate(Warehouse with { TimeZone = timeZone });
        AssertSingleError(errors, "timeZone");
        Assert.Contains($"'{timeZone}'", errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Warehouse_with_negative_daily_order_capacity_is_rejected() =>
        AssertSingleError(MasterDataValidation.Validate(Warehouse with { DailyOrderCapacity = -1 }), "dailyOrderCapacity");

    [Fact]
    public void Warehouse_with_negative_receiving_capacity_is_rejected() =>
        AssertSingleError(MasterDataValidation.Validate(Warehouse with { ReceivingCapacityPerDay = -1 }), "receivingCapacityPerDay");

    [Fact]
    public void Warehouse_with_zero_capacities_is_valid() =>
        Assert.Empty(MasterDataValidation.Validate(Warehouse with { DailyOrderCapacity = 0, ReceivingCapacityPerDay = 0 }));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Warehouse_without_name_is_rejected(string name) =>
        AssertSingleError(MasterDataValidation.Validate(Warehouse with { Name = name }), "name");

    [Fact]
    public void Warehouse_with_null_or_overlong_name_is_rejected()
    {
        AssertSingleError(MasterDataValidation.Validate(Warehouse with { Name = null! }), "name");
        AssertSingleError(MasterDataValidation.Validate(Warehouse with { Name = new string('n', 201) }), "name");
        Assert.Empty(MasterDataValidation.Validate(Warehouse with { Name = new string('n', 200) }));
    }

    [Theory]
    [InlineData("")]
    [InlineData("WH 1")]
    public void Warehouse_with_bad_id_is_rejected(string id) =>
        AssertSingleError(MasterDataValidation.Validate(Warehouse with { WarehouseId = id }), "warehouseId");

    [Fact]
    public void Warehouse_with_undefined_status_is_rejected() =>
        AssertSingleError(MasterDataValidation.Validate(Warehouse with { Status = (WarehouseStatus)7 }), "status");

    [Theory]
    [InlineData("Europe/Berlin", true)]
    [InlineData("America/New_York", true)]
    [InlineData("UTC", true)]
    [InlineData("Mars/Base", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsKnownTimeZone_recognises_IANA_ids(string? id, bool known) =>
        Assert.Equal(known, MasterDataValidation.IsKnownTimeZone(id));

    // Items

    [Fact]
    public void Valid_item_has_no_errors()
    {
        Assert.Empty(MasterDataValidation.Validate(Item));
        Assert.Empty(MasterDataValidation.Validate(new ItemInfo { Sku = "SKU-B" }));
    }

    [Theory]
    [InlineData("")]
    [InlineData("SKU A")]
    public void Item_with_bad_sku_is_rejected(string sku) =>
        AssertSingleError(MasterDataValidation.Validate(Item with { Sku = sku }), "sku");

    [Fact]
    public void Item_description_longer_than_500_is_rejected()
    {
        Assert.Empty(MasterDataValidation.Validate(Item with { Description = new string('d', 500) }));
        AssertSingleError(MasterDataValidation.Validate(Item with { Description = new string('d', 501) }), "description");
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("ABCDEFGHIJKLMNOPQ")]
    public void Item_with_missing_or_long_unit_of_measure_is_rejected(string unit) =>
        AssertSingleError(MasterDataValidation.Validate(Item with { UnitOfMeasure = unit }), "unitOfMeasure");

    [Fact]
    public void Item_with_bad_default_supplier_is_rejected() =>
        AssertSingleError(MasterDataValidation.Validate(Item with { DefaultSupplierId = "SUP 1" }), "defaultSupplierId");

    // Suppliers

    [Fact]
    public void Valid_supplier_has_no_errors()
    {
        Assert.Empty(MasterDataValidation.Validate(Supplier));
        Assert.Empty(MasterDataValidation.Validate(Supplier with { LeadTimeDays = 0, LeadTimeStdDevDays = 0 }));
    }

    [Fact]
    public void Supplier_with_bad_id_or_name_is_rejected()
    {
        AssertSingleError(MasterDataValidation.Validate(Supplier with { SupplierId = "" }), "supplierId");
        AssertSingleError(MasterDataValidation.Validate(Supplier with { Name = " " }), "name");
    }

    [Theory]
    [InlineData(-1, 0, "leadTimeDays")]
    [InlineData(double.NaN, 0, "leadTimeDays")]
    [InlineData(double.PositiveInfinity, 0, "leadTimeDays")]
    [InlineData(1, -0.5, "leadTimeStdDevDays")]
    [InlineData(1, double.NaN, "leadTimeStdDevDays")]
    public void Supplier_with_bad_lead_time_is_rejected(double days, double stdDev, string field) =>
        AssertSingleError(MasterDataValidation.Validate(Supplier with { LeadTimeDays = days, LeadTimeStdDevDays = stdDev }), field);

    // Lanes

    [Fact]
    public void Valid_lane_has_no_errors()
    {
        Assert.Empty(MasterDataValidation.Validate(Lane));
        Assert.Empty(MasterDataValidation.Validate(Lane with { TransitDays = 0, CostPerUnit = 0 }));
    }

    [Fact]
    public void Lane_to_itself_is_rejected() =>
        AssertSingleError(MasterDataValidation.Validate(Lane with { ToWarehouseId = Lane.FromWarehouseId }), "toWarehouseId");

    [Fact]
    public void Lane_endpoints_are_compared_case_sensitively() =>
        Assert.Empty(MasterDataValidation.Validate(Lane with { FromWarehouseId = "wh-a", ToWarehouseId = "WH-A" }));

    [Theory]
    [InlineData(-1)]
    [InlineData(-0.01)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Lane_with_bad_transit_days_is_rejected(double transitDays) =>
        AssertSingleError(MasterDataValidation.Validate(Lane with { TransitDays = transitDays }), "transitDays");

    [Fact]
    public void Lane_with_negative_cost_is_rejected() =>
        AssertSingleError(MasterDataValidation.Validate(Lane with { CostPerUnit = -0.01m }), "costPerUnit");

    [Fact]
    public void Lane_with_bad_endpoint_ids_names_them()
    {
        AssertSingleError(MasterDataValidation.Validate(Lane with { FromWarehouseId = "A B" }), "fromWarehouseId");
        AssertSingleError(MasterDataValidation.Validate(Lane with { ToWarehouseId = "" }), "toWarehouseId");
    }

    // Replenishment policies

    [Fact]
    public void Valid_policy_has_no_errors()
    {
        Assert.Empty(MasterDataValidation.Validate(Policy));
        Assert.Empty(MasterDataValidation.Validate(new ReplenishmentPolicy()));
        Assert.Empty(MasterDataValidation.Validate(Policy with { OrderUpTo = Policy.ReorderPoint }));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    public void Policy_service_level_must_be_strictly_between_0_and_1(double level) =>
        AssertSingleError(MasterDataValidation.Validate(Policy with { ServiceLevel = level }), "serviceLevel");

    [Theory]
    [InlineData(0.0001)]
    [InlineData(0.5)]
    [InlineData(0.9999)]
    public void Policy_service_level_inside_the_range_is_valid(double level) =>
        Assert.Empty(MasterDataValidation.Validate(Policy with { ServiceLevel = level }));

    [Fact]
    public void Policy_order_up_to_below_reorder_point_is_rejected() =>
        AssertSingleError(MasterDataValidation.Validate(Policy with { ReorderPoint = 20, OrderUpTo = 19 }), "orderUpTo");

    [Fact]
    public void Policy_with_negative_stock_levels_is_rejected()
    {
        AssertSingleError(MasterDataValidation.Validate(Policy with { SafetyStock = -1 }), "safetyStock");
        AssertSingleError(MasterDataValidation.Validate(Policy with { ReorderPoint = -1, OrderUpTo = null }), "reorderPoint");
    }

    [Fact]
    public void Policy_with_undefined_kind_is_rejected() =>
        AssertSingleError(MasterDataValidation.Validate(Policy with { Kind = (ReplenishmentPolicyKind)5 }), "kind");

    [Fact]
    public void Policy_with_bad_preferred_source_is_rejected() =>
        AssertSingleError(MasterDataValidation.Validate(Policy with { PreferredSource = "A B" }), "preferredSource");

    [Fact]
    public void Service_level_that_is_not_a_number_is_refused()
    {
        var errors = MasterDataValidation.Validate(new ReplenishmentPolicy { ServiceLevel = double.NaN });
        Assert.Equal("serviceLevel", Assert.Single(errors).Field);
    }

    [Fact]
    public void Negative_order_up_to_is_refused_without_a_reorder_point()
    {
        var errors = MasterDataValidation.Validate(new ReplenishmentPolicy { OrderUpTo = -1 });
        Assert.Equal("orderUpTo", Assert.Single(errors).Field);
    }

    [Fact]
    public void A_warehouse_without_a_location_is_refused_not_crashed_on()
    {
        var warehouse = new WarehouseInfo { WarehouseId = "W1", Name = "W1", Location = null! };
        Assert.Contains(MasterDataValidation.Validate(warehouse), e => e.Field == "latitude");
    }
}
