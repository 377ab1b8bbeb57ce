using Distribution.Integration.Edi;

namespace Distribution.Tests.Integration.Edi;

/// <summary>TA1: the parser's envelope checks carry the note code and the ISA; the writer puts TA1 after the ISA.</summary>
public sealed class InterchangeAcknowledgmentTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 27, 10, 15, 0, TimeSpan.Zero);

    private static string Valid => X12Samples.Interchange(X12Samples.Order850);

    [Theory]
    [InlineData("IEA*1*000000905", "IEA*1*000000906", "IEA02", X12InterchangeNote.ControlNumberMismatch)]
    [InlineData("IEA*1*000000905", "IEA*2*000000905", "IEA01", X12InterchangeNote.InvalidGroupCount)]
    [InlineData("IEA*1*000000905~\n", "", "IEA", X12InterchangeNote.PrematureEnd)]
    [InlineData("GE*1*17~\n", "GE*1*17~\nREF*ZZ*X~\n", "REF", X12InterchangeNote.InvalidControlStructure)]
    [InlineData("GS*PO*", "GS**", "GS01", X12InterchangeNote.InvalidContent)]
    public void A_broken_envelope_behind_a_readable_isa_keeps_the_isa_and_names_the_note(string from, string to, string field, X12InterchangeNote note)
    {
        var result = X12Parser.Parse(Valid.Replace(from, to, StringComparison.Ordinal));

        Assert.Null(result.Interchange);
        Assert.Equal((field, note), (result.Error!.Field, result.Error.Note));
        Assert.Equal("000000905", result.Isa![13]);
    }

    [Fact]
    public void An_unreadable_isa_gives_nothing_to_address_a_ta1_to()
    {
        var result = X12Parser.Parse(Valid[..80]);

        Assert.Null(result.Isa);
        Assert.Equal("ISA", result.Error!.Field);
    }

    [Fact]
    public void A_rejection_is_a_ta1_alone_in_an_interchange_back_to_the_sender()
    {
        var isa = X12Parser.Parse(Valid.Replace("IEA*1*000000905", "IEA*1*000000906", StringComparison.Ordinal)).Isa!;

        var text = X12Writer.Write(InterchangeAcknowledgment.Rejection(isa, X12InterchangeNote.ControlNumberMismatch, 42, At));

        Assert.Equal(
            "ISA*00*          *00*          *ZZ*DISTHUB        *ZZ*ACMESHOP       *261127*1015*U*00401*000000042*0*P*>~\n"
            + "TA1*000000905*261127*0930*R*001~\n"
            + "IEA*0*000000042~\n",
            text);
    }

    [Fact]
    public void A_requested_ta1_precedes_the_997_group_and_accepts_the_envelope()
    {
        var requested = Valid.Replace("*000000905*0*P*>~", "*000000905*1*P*>~", StringComparison.Ordinal);
        var received = X12Parser.Parse(requested).Interchange!;
        var outcomes = received.Groups.Select(g => new X12GroupOutcome(g, [.. g.Sets.Select(X12SetOutcome.Accept)])).ToList();

        var lines = X12Writer.Write(FunctionalAcknowledgment.For(received, outcomes, 7, At)).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("TA1*000000905*261127*0930*A*000~", lines[1]);
        Assert.StartsWith("GS*FA*", lines[2]);
        Assert.Equal("IEA*1*000000007~", lines[^1]);
    }

    [Fact]
    public void No_ta1_unless_asked_for()
    {
        var received = X12Parser.Parse(Valid).Interchange!;
        var outcomes = received.Groups.Select(g => new X12GroupOutcome(g, [.. g.Sets.Select(X12SetOutcome.Accept)])).ToList();

        var text = X12Writer.Write(FunctionalAcknowledgment.For(received, outcomes, 7, At));

        Assert.DoesNotContain("TA1", text);
    }
}
