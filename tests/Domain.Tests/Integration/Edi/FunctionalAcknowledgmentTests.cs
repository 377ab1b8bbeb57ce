using Distribution.Integration.Edi;

namespace Distribution.Tests.Integration.Edi;

public sealed class FunctionalAcknowledgmentTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    private static (X12Interchange Interchange, X12FunctionalGroup Group) Parse(string text)
    {
        var interchange = X12Parser.Parse(text).Interchange!;
        return (interchange, interchange.Groups[0]);
    }

    private static string[] Lines(X12Interchange received, params X12GroupOutcome[] outcomes)
    {
        var text = X12Writer.Write(FunctionalAcknowledgment.For(received, outcomes, 3, At));
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('~'))];
    }

    [Fact]
    public void Accepts_a_group_whose_sets_were_all_accepted()
    {
        var (interchange, group) = Parse(X12Samples.Interchange(X12Samples.Order850));

        var lines = Lines(interchange, new X12GroupOutcome(group, [X12SetOutcome.Accept(group.Sets[0])]));

        Assert.StartsWith("ISA*00*          *00*          *ZZ*DISTHUB        *ZZ*ACMESHOP       *261127*1000*U*00401*000000003*0*P*>", lines[0]);
        Assert.Equal("GS*FA*DISTHUB*ACMESHOP*20261127*1000*3*X*004010", lines[1]);
        Assert.Equal(["ST*997*0001", "AK1*PO*17", "AK2*850*0001", "AK5*A", "AK9*A*1*1*1", "SE*6*0001"], lines[2..8]);
        Assert.True(X12Parser.Parse(string.Join("~\n", lines) + "~").Succeeded);
    }

    [Fact]
    public void Rejects_a_set_pointing_at_the_segment_and_element_in_error()
    {
        var (interchange, group) = Parse(X12Samples.Interchange(X12Samples.Order850));
        var po1 = group.Sets[0].Body[3];
        var error = X12SegmentError.Element(po1, 2, X12ElementErrorCode.MandatoryMissing, "PO102 (quantity) is required");

        var lines = Lines(interchange, new X12GroupOutcome(group, [X12SetOutcome.Reject(group.Sets[0], [], [error])]));

        Assert.Equal(["AK1*PO*17", "AK2*850*0001", "AK3*PO1*5**8", "AK4*2**1", "AK5*R*5", "AK9*R*1*1*0"], lines[3..9]);
    }

    [Fact]
    public void Copies_the_bad_value_and_reports_a_missing_segment()
    {
        var (interchange, group) = Parse(X12Samples.Interchange(X12Samples.Order850));
        var po1 = group.Sets[0].Body[3];
        X12SegmentError[] errors =
        [
            X12SegmentError.Element(po1, 2, X12ElementErrorCode.InvalidCharacter, "PO102 must be a whole number", "3.5"),
            X12SegmentError.Missing("BEG", 2, "BEG is required"),
        ];

        var lines = Lines(interchange, new X12GroupOutcome(group, [X12SetOutcome.Reject(group.Sets[0], [], errors)]));

        Assert.Equal(["AK3*PO1*5**8", "AK4*2**6*3.5", "AK3*BEG*2**3", "AK5*R*5"], lines[5..9]);
    }

    [Fact]
    public void Reports_set_envelope_errors_and_a_partly_accepted_group()
    {
        string[] second = [.. X12Samples.Order850.Select(l => l.Replace("0001", "0002")).SkipLast(1), "SE*7*0002"];
        var (interchange, group) = Parse(X12Samples.Interchange(X12Samples.Order850, second));
        var outcome = new X12GroupOutcome(group,
            [X12SetOutcome.Accept(group.Sets[0]), X12SetOutcome.Reject(group.Sets[1], group.Sets[1].Errors, [])]);

        var lines = Lines(interchange, outcome);

        Assert.Equal(["AK2*850*0001", "AK5*A", "AK2*850*0002", "AK5*R*4", "AK9*P*2*2*1"], lines[4..9]);
    }

    [Fact]
    public void A_group_with_a_broken_envelope_is_rejected_whole()
    {
        var (interchange, group) = Parse(X12Samples.Interchange(X12Samples.Order850).Replace("GE*1*17", "GE*2*17"));

        var lines = Lines(interchange, new X12GroupOutcome(group, [X12SetOutcome.Accept(group.Sets[0])]));

        Assert.Equal(["AK2*850*0001", "AK5*R", "AK9*R*2*1*0*5"], lines[4..7]);
    }

    [Fact]
    public void A_test_interchange_is_answered_as_a_test()
    {
        var (interchange, group) = Parse(X12Samples.Interchange(X12Samples.Order850).Replace("*0*P*>", "*0*T*>"));

        var lines = Lines(interchange, new X12GroupOutcome(group, [X12SetOutcome.Accept(group.Sets[0])]));

        Assert.Contains("*0*T*>", lines[0]);
    }
}
