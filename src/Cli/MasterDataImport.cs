using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Distribution.Cli;

/// <summary>
/// <c>distribution import</c>: sends a master data file to <c>POST /v1/master-data/import</c> in
/// chunks (a CSV file of one kind; a JSON file with one array per kind, sent kind by kind in
/// dependency order), prints a progress line per chunk and then every rejected row with its
/// number in the file. Rows are validated by the gateway, one by one, as for a single upload.
/// </summary>
public sealed class MasterDataImport(HttpClient http, string apiKey, TextWriter output)
{
    /// <summary>The kinds in the order the gateway applies them (a lane needs its warehouses, a policy its item).</summary>
    public static readonly IReadOnlyList<string> Kinds = ["warehouses", "suppliers", "lanes", "items", "policies"];

    public const int DefaultChunkSize = 2000;

    private readonly List<(string Kind, int Row, string Field, string Message)> _rejected = [];
    private int _rejectedRows;
    private int _applied;
    private int _sent;

    /// <returns>0: every row applied; 1: some rows rejected; 2: the file or the gateway refused the import.</returns>
    public async Task<int> RunAsync(FileInfo file, string? kind, int chunkSize, CancellationToken cancellationToken = default)
    {
        if (!file.Exists)
        {
            return Fail($"no file {file.FullName}");
        }

        if (kind is not null && !Kinds.Contains(kind))
        {
            return Fail($"--kind must be one of {string.Join(", ", Kinds)}");
        }

        var csv = file.Extension.Equals(".csv", StringComparison.OrdinalIgnoreCase);
        if (csv && kind is null)
        {
            return Fail("a CSV file holds one kind: give --kind");
        }

        try
        {
            var ok = csv
                ? await SendCsvAsync(file, kind!, chunkSize, cancellationToken)
                : await SendJsonAsync(file, kind, chunkSize, cancellationToken);
            if (!ok)
            {
                return 2;
            }
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or IOException)
        {
            return Fail(e.Message);
        }

        foreach (var (k, row, field, message) in _rejected.OrderBy(r => Kinds.ToList().IndexOf(r.Kind)).ThenBy(r => r.Row))
        {
            output.WriteLine($"rejected {k} row {row.ToString(CultureInfo.InvariantCulture)}: {field}: {message}");
        }

        output.WriteLine($"done: {_sent} row(s) sent, {_applied} applied, {_rejectedRows} rejected");
        return _rejectedRows > 0 ? 1 : 0;
    }

    private async Task<bool> SendCsvAsync(FileInfo file, string kind, int chunkSize, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(file.OpenRead(), Encoding.UTF8);
        var records = new CsvRecords(reader);
        var header = await records.NextAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(header))
        {
            Fail("empty CSV: the first line must name the columns");
            return false;
        }

        var chunk = new StringBuilder();
        var first = 1;
        var count = 0;
        while (true)
        {
            var record = await records.NextAsync(cancellationToken);
            if (record is not null && record.Length > 0)
            {
                chunk.Append(record).Append('\n');
                count++;
            }

            if (count > 0 && (count == chunkSize || record is null))
            {
                using var content = new StringContent(header + "\n" + chunk, Encoding.UTF8, "text/csv");
                if (!await SendAsync($"/v1/master-data/import?kind={kind}", content, kind, first, count, cancellationToken))
                {
                    return false;
                }

                first += count;
                count = 0;
                chunk.Clear();
            }

            if (record is null)
            {
                return true;
            }
        }
    }

    private async Task<bool> SendJsonAsync(FileInfo file, string? kind, int chunkSize, CancellationToken cancellationToken)
    {
        JsonObject document;
        await using (var stream = file.OpenRead())
        {
            if (await JsonNode.ParseAsync(stream, cancellationToken: cancellationToken) is not JsonObject parsed)
            {
                Fail("expected a JSON object with arrays: warehouses, suppliers, lanes, items, policies");
                return false;
            }

            document = parsed;
        }

        foreach (var (name, _) in document)
        {
            if (!Kinds.Contains(name))
            {
                Fail($"unknown kind '{name}' in the file; expected {string.Join(", ", Kinds)}");
                return false;
            }
        }

        foreach (var k in Kinds.Where(k => kind is null || k == kind))
        {
            if (document[k] is not JsonArray rows)
            {
                continue;
            }

            for (var start = 0; start < rows.Count; start += chunkSize)
            {
                var slice = new JsonArray([.. rows.Skip(start).Take(chunkSize).Select(r => r?.DeepClone())]);
                using var content = JsonContent.Create(new JsonObject { [k] = slice });
                if (!await SendAsync("/v1/master-data/import", content, k, start + 1, slice.Count, cancellationToken))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Posts one chunk; its rejected rows are renumbered from <paramref name="firstRow"/> (the gateway numbers each upload from 1).</summary>
    private async Task<bool> SendAsync(string path, HttpContent content, string kind, int firstRow, int rows, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Add("X-Api-Key", apiKey);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            Fail($"{kind} rows {firstRow}-{firstRow + rows - 1}: {(int)response.StatusCode} {Problem(body)}");
            return false;
        }

        using var report = JsonDocument.Parse(body);
        var root = report.RootElement;
        var applied = root.GetProperty("applied").TryGetProperty(kind, out var a) ? a.GetInt32() : 0;
        var rejectedRows = root.GetProperty("rejectedRows").GetInt32();
        foreach (var r in root.GetProperty("rejected").EnumerateArray())
        {
            _rejected.Add((kind, firstRow - 1 + r.GetProperty("row").GetInt32(), r.GetProperty("field").GetString() ?? "", r.GetProperty("message").GetString() ?? ""));
        }

        _sent += rows;
        _applied += applied;
        _rejectedRows += rejectedRows;
        output.WriteLine($"{kind}: rows {firstRow}-{firstRow + rows - 1} sent, {applied} applied, {rejectedRows} rejected ({root.GetProperty("elapsedMs").GetInt64()} ms); total {_sent} sent");
        return true;
    }

    private int Fail(string message)
    {
        output.WriteLine($"error: {message}");
        return 2;
    }

    /// <summary>A problem+json's detail (or title), else the body as sent.</summary>
    internal static string Problem(string body)
    {
        try
        {
            using var problem = JsonDocument.Parse(body);
            var root = problem.RootElement;
            return root.TryGetProperty("detail", out var detail) && detail.GetString() is { Length: > 0 } d ? d
                : root.TryGetProperty("title", out var title) ? title.GetString() ?? body : body;
        }
        catch (JsonException)
        {
            return body;
        }
    }
}
