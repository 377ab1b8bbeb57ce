namespace Distribution.Common.Tests;

public sealed class IdentifiersTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("SKU-123")]
    [InlineData("order_1.v2:eu")]
    [InlineData("0")]
    [InlineData("ABCxyz789")]
    public void Letters_digits_and_safe_punctuation_are_valid(string id) => Assert.True(Identifiers.IsValid(id));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("a b")]
    [InlineData("a/b")]
    [InlineData("a?b")]
    [InlineData("a#b")]
    [InlineData("a%20b")]
    [InlineData("a\tb")]
    [InlineData("a\u001fb")]
    [InlineData("é")]
    [InlineData("١٢٣")]
    [InlineData("ｓｋｕ")]
    public void Anything_else_is_invalid(string? id) => Assert.False(Identifiers.IsValid(id));

    [Fact]
    public void At_most_100_characters()
    {
        Assert.Equal(100, Identifiers.MaxLength);
        Assert.True(Identifiers.IsValid(new string('x', 100)));
        Assert.False(Identifiers.IsValid(new string('x', 101)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Check_reports_a_missing_id_as_required(string? id)
    {
        var errors = new List<FieldError>();

        Assert.False(Identifiers.Check(errors, "sku", id));

        Assert.Equal(new FieldError("sku", "is required"), Assert.Single(errors));
    }

    [Fact]
    public void Check_reports_an_invalid_id_naming_the_field()
    {
        var errors = new List<FieldError>();

        Assert.False(Identifiers.Check(errors, "lines[3].sku", "bad id"));

        var error = Assert.Single(errors);
        Assert.Equal("lines[3].sku", error.Field);
        Assert.Contains("1-100", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_accepts_a_valid_id_without_adding_errors()
    {
        var errors = new List<FieldError>();

        Assert.True(Identifiers.Check(errors, "sku", "SKU-1"));

        Assert.Empty(errors);
    }

    [Fact]
    public void Check_appends_to_existing_errors()
    {
        var existing = new FieldError("other", "x");
        var errors = new List<FieldError> { existing };

        Identifiers.Check(errors, "sku", null);

        Assert.Equal([existing, new FieldError("sku", "is required")], errors);
    }
}

public sealed class GeoTests
{
    private static List<FieldError> Check(string field, double latitude, double longitude)
    {
        var errors = new List<FieldError>();
        Geo.Check(errors, field, new GeoPoint(latitude, longitude));
        return errors;
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(90, 180)]
    [InlineData(-90, -180)]
    [InlineData(52.52, 13.405)]
    [InlineData(-33.8688, 151.2093)]
    public void Positions_in_range_are_valid(double latitude, double longitude) =>
        Assert.Empty(Check("shipTo", latitude, longitude));

    [Theory]
    [InlineData(90.0000001)]
    [InlineData(-90.0000001)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Bad_latitude_is_named_under_the_prefix(double latitude)
    {
        var error = Assert.Single(Check("shipTo", latitude, 0));
        Assert.Equal("shipTo.latitude", error.Field);
        Assert.Equal("must be between -90 and 90", error.Message);
    }

    [Theory]
    [InlineData(180.0000001)]
    [InlineData(-180.0000001)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Bad_longitude_is_named_under_the_prefix(double longitude)
    {
        var error = Assert.Single(Check("shipTo", 0, longitude));
        Assert.Equal("shipTo.longitude", error.Field);
        Assert.Equal("must be between -180 and 180", error.Message);
    }

    [Fact]
    public void Empty_prefix_names_the_fields_at_the_top_level() =>
        Assert.Equal(["latitude", "longitude"], Check("", 100, -200).Select(e => e.Field));

    [Fact]
    public void Nested_prefix_is_kept_verbatim() =>
        Assert.Equal("a.b[2].longitude", Assert.Single(Check("a.b[2]", 0, 999)).Field);
}
