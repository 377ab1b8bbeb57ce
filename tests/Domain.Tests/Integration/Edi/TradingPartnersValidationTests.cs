using Distribution.Integration;

namespace Distribution.Tests.Integration.Edi;

public sealed class TradingPartnersValidationTests
{
    private static readonly TradingPartner Valid = new()
    {
        PartnerId = "waw-3pl",
        SenderId = new InterchangeAddress("ZZ", "WAW3PL"),
        ReceiverId = new InterchangeAddress("ZZ", "DISTHUB"),
        Role = TradingPartnerRole.Warehouse3pl,
        WarehouseId = "WAW",
        Documents = ["940", "945", "944", "846"],
    };

    [Fact]
    public void A_complete_partner_is_valid()
    {
        Assert.Empty(TradingPartnersValidation.Validate(Valid));
    }

    [Fact]
    public void Names_each_field_that_breaks_a_rule()
    {
        var partner = Valid with
        {
            SenderId = new InterchangeAddress("Z", "A SENDER ID TOO LONG"),
            WarehouseId = null,
            SupplierId = "ACME",
            Documents = ["945", "850", "945"],
        };

        Assert.Equal(
            ["senderId.qualifier", "senderId.id", "warehouseId", "supplierId", "documents[1]", "documents[2]"],
            TradingPartnersValidation.Validate(partner).Select(e => e.Field));
    }

    [Fact]
    public void Addresses_match_ignoring_the_isa_padding()
    {
        Assert.True(TradingPartnersValidation.SameAddress(new("ZZ", "WAW3PL"), new("ZZ", "WAW3PL   ")));
        Assert.False(TradingPartnersValidation.SameAddress(new("ZZ", "WAW3PL"), new("01", "WAW3PL")));
    }
}
