using Distribution.Integration.Edi;

namespace Distribution.Tests.Integration.Edi;

public sealed class X12WriterTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 27, 9, 30, 0, TimeSpan.Zero);

    private static X12OutgoingInterchange Sample(params X12OutgoingSet[] sets) => new(
        new X12Party("ZZ", "DISTHUB"), new X12Party("01", "123456789"), 42, At,
        [new X12OutgoingGroup("PR", "DISTHUB", "123456789", 7, "004010", sets)]);

    [Fact]
    public void Writes_a_fixed_width_isa_and_envelopes_that_the_parser_reads_back()
    {
        var text = X12Writer.Write(Sample(
            new X12OutgoingSet("855", 1, [new X12Segment("BAK", "00", "AC", "PO-1", "20261127")]),
            new X12OutgoingSet("855", 2, [new X12Segment("BAK", "00", "AD", "PO-2", "20261127"), new X12Segment("CTT", "0")])));

        Assert.Equal(X12Parser.IsaLength, text.IndexOf('\n'));
        var parsed = X12Parser.Parse(text);
        Assert.Null(parsed.Error);
        var interchange = parsed.Interchange!;
        Assert.Equal("000000042", interchange.ControlNumber);
        Assert.Equal(new X12Party("01", "123456789"), interchange.Receiver);
        var group = Assert.Single(interchange.Groups);
        Assert.Empty(group.Errors);
        Assert.Equal("7", group.ControlNumber);
        Assert.All(group.Sets, s => Assert.Empty(s.Errors));
        Assert.Equal(["0001", "0002"], group.Sets.Select(s => s.ControlNumber));
        Assert.Equal("PO-2", group.Sets[1].Body[0][3]);
        Assert.Contains("SE*4*0002~", text);
        Assert.Contains("GE*2*7~", text);
        Assert.EndsWith("IEA*1*000000042~\n", text);
    }

    [Fact]
    public void Drops_trailing_empty_elements()
    {
        var text = X12Writer.Write(Sample(new X12OutgoingSet("855", 1, [new X12Segment("N1", "ST", "Acme", "", "")])));

        Assert.Contains("\nN1*ST*Acme~", text);
    }

    [Fact]
    public void Refuses_a_value_holding_a_delimiter()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            X12Writer.Write(Sample(new X12OutgoingSet("855", 1, [new X12Segment("N1", "ST", "Acme*Co")]))));

        Assert.Contains("N102", error.Message);
    }

    [Fact]
    public void Refuses_an_id_longer_than_its_isa_field()
    {
        Assert.Throws<ArgumentException>(() => X12Writer.Write(Sample() with { Sender = new X12Party("ZZ", "A-SENDER-ID-TOO-LONG") }));
    }
}
