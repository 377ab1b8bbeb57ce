namespace Distribution.Integration.Edi;

/// <summary>
/// One X12 segment: its id and its elements, numbered as the standard numbers them (BEG03 is
/// <c>this[3]</c>; index 0 is the id). Elements past the end read as empty, as X12 drops trailing
/// empty elements.
/// </summary>
public sealed class X12Segment
{
    private readonly string[] _elements;

    public X12Segment(string id, params string[] elements)
    {
        Id = id;
        _elements = elements;
    }

    public X12Segment(string id, int position, string[] elements)
        : this(id, elements)
    {
        Position = position;
    }

    public string Id { get; }

    /// <summary>
    /// Position of the segment: inside a transaction set counted from its ST (ST = 1), as a 997's
    /// AK302 counts it; for envelope segments, counted from the ISA (ISA = 1). 0 for segments being written.
    /// </summary>
    public int Position { get; }

    /// <summary>How many elements the segment carries (the id not counted).</summary>
    public int Count => _elements.Length;

    /// <summary>The element at its X12 position (1-based); empty when absent.</summary>
    public string this[int position] =>
        position >= 1 && position <= _elements.Length ? _elements[position - 1] : "";

    public IReadOnlyList<string> Elements => _elements;

    /// <summary>The components of a composite element, split on the interchange's sub-element separator.</summary>
    public string[] Components(int position, char subElementSeparator) => this[position].Split(subElementSeparator);

    public override string ToString() => Id + (_elements.Length == 0 ? "" : "*" + string.Join('*', _elements));
}
