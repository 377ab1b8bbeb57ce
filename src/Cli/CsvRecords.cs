using System.Text;

namespace Distribution.Cli;

/// <summary>
/// Reads a CSV file record by record as raw text, without interpreting its cells: the gateway
/// parses them. A line break inside a quoted cell belongs to the record, so chunks never split one.
/// </summary>
public sealed class CsvRecords(TextReader reader)
{
    /// <summary>The next record (without its final line break), or null at the end of the file.</summary>
    public async Task<string?> NextAsync(CancellationToken cancellationToken = default)
    {
        var line = await reader.ReadLineAsync(cancellationToken);
        if (line is null)
        {
            return null;
        }

        if (!OpensQuote(line, false))
        {
            return line;
        }

        var record = new StringBuilder(line);
        var open = true;
        while (open && await reader.ReadLineAsync(cancellationToken) is { } more)
        {
            record.Append('\n').Append(more);
            open = OpensQuote(more, open);
        }

        return record.ToString();
    }

    /// <summary>Whether a quoted cell is still open at the end of <paramref name="line"/> ("" inside quotes is an escaped quote and flips twice).</summary>
    private static bool OpensQuote(string line, bool open)
    {
        foreach (var c in line)
        {
            if (c == '"')
            {
                open = !open;
            }
        }

        return open;
    }
}
