using Distribution.Integration.Edi;

namespace Distribution.Tests.Integration.Edi;

public sealed class X12ParserTests
{
    [Fact]
    public void Reads_the_envelopes_and_the_segments_of_a_valid_interchange()
    {
        var result = X12Parser.Parse(X12Samples.Interchange(X12Samples.Order850));

        Assert.Null(result.Error);
        var interchange = result.Interchange!;
        Assert.Equal(new X12Party("ZZ", "ACMESHOP"), interchange.Sender);
        Assert.Equal(new X12Party("ZZ", "DISTHUB"), interchange.Receiver);
        Assert.Equal("000000905", interchange.ControlNumber);
        Assert.Equal(new X12Separators('*', null, '>', '~'), interchange.Separators);
        var group = Assert.Single(interchange.Groups);
        Assert.Equal("PO", group.FunctionalId);
        Assert.Equal("17", group.ControlNumber);
        Assert.Empty(group.Errors);
        var set = Assert.Single(group.Sets);
        Assert.Equal("850", set.Id);
        Assert.Equal("0001", set.ControlNumber);
        Assert.Empty(set.Errors);
        Assert.Equal(6, set.Body.Count);
        var po1 = set.Body[3];
        Assert.Equal("PO1", po1.Id);
        Assert.Equal(5, po1.Position);
        Assert.Equal("SKU-001", po1[7]);
        Assert.Equal("", po1[12]);
    }

    [Fact]
    public void Takes_every_delimiter_from_the_isa()
    {
        var text = X12Samples.Interchange(X12Samples.Order850)
            .Replace('*', '|').Replace('>', '\\').Replace("~\n", "'").Replace("|U|00401", "|^|00501");

        var result = X12Parser.Parse(text);

        Assert.Null(result.Error);
        Assert.Equal(new X12Separators('|', '^', '\\', '\''), result.Interchange!.Separators);
        Assert.Equal("SKU-020", result.Interchange.Groups[0].Sets[0].Body[4][7]);
    }

    [Fact]
    public void Tolerates_crlf_after_segment_terminators_and_surrounding_whitespace()
    {
        var text = "\r\n" + X12Samples.Interchange(X12Samples.Order850).Replace("~\n", "~\r\n") + "\r\n";

        Assert.True(X12Parser.Parse(text).Succeeded);
    }

    [Fact]
    public void A_truncated_isa_is_refused_naming_it()
    {
        var error = X12Parser.Parse(X12Samples.Isa[..80]).Error!;

        Assert.Equal("ISA", error.SegmentId);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void An_isa_that_is_not_fixed_width_is_refused_naming_the_element()
    {
        // ISA06 one character short: every later element moves.
        var text = X12Samples.Interchange(X12Samples.Order850).Replace("ACMESHOP       *", "ACMESHOP      *");

        var error = X12Parser.Parse(text).Error!;

        Assert.Equal("ISA07", error.Field);
    }

    [Fact]
    public void Separators_that_clash_are_refused()
    {
        // The sub-element separator equal to the element separator.
        var text = X12Samples.Interchange(X12Samples.Order850).Replace("*P*>~", "*P***");

        var error = X12Parser.Parse(text).Error!;

        Assert.Equal("ISA", error.SegmentId);
        Assert.Contains("must all differ", error.Message);
    }

    [Fact]
    public void A_body_written_with_other_separators_than_the_isa_declares_is_refused()
    {
        var isa = X12Samples.Isa;
        var body = X12Samples.Interchange(X12Samples.Order850)[(isa.Length + 1)..].Replace('*', '|');

        var error = X12Parser.Parse(isa + "\n" + body).Error!;

        Assert.Equal(2, error.Position);
        Assert.Contains("separators", error.Message);
    }

    [Fact]
    public void A_missing_iea_is_a_truncated_interchange()
    {
        var text = X12Samples.Interchange(X12Samples.Order850);
        text = text[..text.IndexOf("IEA", StringComparison.Ordinal)];

        var error = X12Parser.Parse(text).Error!;

        Assert.Equal("IEA", error.SegmentId);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void A_last_segment_without_terminator_is_a_truncated_interchange()
    {
        var text = X12Samples.Interchange(X12Samples.Order850).TrimEnd('\n').TrimEnd('~');

        var error = X12Parser.Parse(text).Error!;

        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void Iea02_must_match_the_interchange_control_number()
    {
        var text = X12Samples.Interchange(X12Samples.Order850).Replace("IEA*1*000000905", "IEA*1*000000906");

        Assert.Equal("IEA02", X12Parser.Parse(text).Error!.Field);
    }

    [Fact]
    public void Iea01_must_count_the_groups()
    {
        var text = X12Samples.Interchange(X12Samples.Order850).Replace("IEA*1*", "IEA*2*");

        Assert.Equal("IEA01", X12Parser.Parse(text).Error!.Field);
    }

    [Fact]
    public void A_wrong_segment_count_marks_the_set()
    {
        string[] set = [.. X12Samples.Order850[..^1], "SE*7*0001"];

        var parsed = X12Parser.Parse(X12Samples.Interchange(set)).Interchange!;

        Assert.Equal([X12SetErrorCode.SegmentCountMismatch], parsed.Groups[0].Sets[0].Errors);
        Assert.Empty(parsed.Groups[0].Errors);
    }

    [Fact]
    public void A_set_control_number_mismatch_marks_the_set()
    {
        string[] set = [.. X12Samples.Order850[..^1], "SE*8*0002"];

        var parsed = X12Parser.Parse(X12Samples.Interchange(set)).Interchange!;

        Assert.Equal([X12SetErrorCode.ControlNumberMismatch], parsed.Groups[0].Sets[0].Errors);
    }

    [Fact]
    public void A_set_without_trailer_is_marked_and_the_next_set_is_still_read()
    {
        string[] second = [.. X12Samples.Order850.Select(l => l.Replace("0001", "0002"))];

        var parsed = X12Parser.Parse(X12Samples.Interchange(X12Samples.Order850[..^1], second)).Interchange!;

        var sets = parsed.Groups[0].Sets;
        Assert.Equal(2, sets.Count);
        Assert.Equal([X12SetErrorCode.TrailerMissing], sets[0].Errors);
        Assert.Empty(sets[1].Errors);
    }

    [Fact]
    public void Two_sets_with_one_control_number_in_a_group_mark_the_second()
    {
        var parsed = X12Parser.Parse(X12Samples.Interchange(X12Samples.Order850, X12Samples.Order850)).Interchange!;

        Assert.Empty(parsed.Groups[0].Sets[0].Errors);
        Assert.Equal([X12SetErrorCode.ControlNumberNotUnique], parsed.Groups[0].Sets[1].Errors);
    }

    [Fact]
    public void Group_trailer_count_and_control_number_are_checked()
    {
        var text = X12Samples.Interchange(X12Samples.Order850).Replace("GE*1*17", "GE*2*18");

        var group = X12Parser.Parse(text).Interchange!.Groups[0];

        Assert.Equal([X12GroupErrorCode.ControlNumberMismatch, X12GroupErrorCode.SetCountMismatch], group.Errors);
        Assert.Equal(2, group.DeclaredSetCount);
    }

    [Fact]
    public void A_group_without_trailer_is_marked()
    {
        var text = X12Samples.Interchange(X12Samples.Order850).Replace("GE*1*17~\n", "");

        Assert.Equal([X12GroupErrorCode.TrailerMissing], X12Parser.Parse(text).Interchange!.Groups[0].Errors);
    }

    [Fact]
    public void A_group_without_control_number_is_refused()
    {
        var text = X12Samples.Interchange(X12Samples.Order850).Replace("*17*X*", "**X*");

        Assert.Equal("GS06", X12Parser.Parse(text).Error!.Field);
    }

    [Fact]
    public void Nothing_may_follow_the_iea()
    {
        var text = X12Samples.Interchange(X12Samples.Order850) + "GS*PO*A*B*20261127*0930*18*X*004010~";

        Assert.Equal("GS", X12Parser.Parse(text).Error!.SegmentId);
    }

    [Theory]
    [InlineData("*0930*U*00401*000000905*", "*0930*U*00401*00000905A*", "ISA13")]
    [InlineData("*261127*0930*", "*261327*0930*", "ISA09")]
    [InlineData("*0*P*>~", "*0*X*>~", "ISA15")]
    public void Isa_elements_are_checked(string from, string to, string field)
    {
        var text = X12Samples.Interchange(X12Samples.Order850).Replace(from, to);

        Assert.Equal(field, X12Parser.Parse(text).Error!.Field);
    }
}
