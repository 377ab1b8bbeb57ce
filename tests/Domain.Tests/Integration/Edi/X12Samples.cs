namespace Distribution.Tests.Integration.Edi;

/// <summary>Interchanges for the tests, built from segment lines so a broken variant changes one thing.</summary>
internal static class X12Samples
{
    /// <summary>A valid ISA (106 characters) from ZZ:ACMESHOP to ZZ:DISTHUB, control number 000000905.</summary>
    public const string Isa = "ISA*00*          *00*          *ZZ*ACMESHOP       *ZZ*DISTHUB        *261127*0930*U*00401*000000905*0*P*>~";

    public static readonly string[] Order850 =
    [
        "ST*850*0001",
        "BEG*00*SA*PO-7781**20261127",
        "N1*ST*Acme Frankfurt",
        "REF*GEO*50.11*8.68",
        "PO1*1*3*EA***SK*SKU-001",
        "PO1*2*4*EA***SK*SKU-020",
        "CTT*2",
        "SE*8*0001",
    ];

    /// <summary>One interchange with one group (GS06 = 17) around the given transaction sets.</summary>
    public static string Interchange(params string[][] sets) =>
        Join([Isa, "GS*PO*ACMESHOP*DISTHUB*20261127*0930*17*X*004010", .. sets.SelectMany(s => s), $"GE*{sets.Length}*17", "IEA*1*000000905"]);

    public static string Join(IEnumerable<string> lines) =>
        string.Concat(lines.Select(l => l.EndsWith('~') ? l + "\n" : l + "~\n"));
}
