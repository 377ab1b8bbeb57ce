using System.Net.Http.Json;
using System.Text.Json;

namespace Distribution.Cli;

/// <summary><c>distribution keys create</c>: asks the admin endpoint for a new API key and prints it (it is shown only once).</summary>
public sealed class ApiKeyCreation(HttpClient http, string apiKey, TextWriter output)
{
    /// <returns>0: created; 2: refused (the gateway's problem is printed).</returns>
    public async Task<int> RunAsync(string name, IReadOnlyList<string> scopes, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/api-keys") { Content = JsonContent.Create(new { name, scopes }) };
        request.Headers.Add("X-Api-Key", apiKey);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                output.WriteLine($"error: {(int)response.StatusCode} {MasterDataImport.Problem(body)}");
                return 2;
            }

            using var created = JsonDocument.Parse(body);
            var root = created.RootElement;
            output.WriteLine($"id:     {root.GetProperty("id").GetString()}");
            output.WriteLine($"scopes: {string.Join(",", root.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()))}");
            output.WriteLine($"key:    {root.GetProperty("key").GetString()}");
            output.WriteLine("(the key is shown only now; the hub keeps its hash)");
            return 0;
        }
        catch (HttpRequestException e)
        {
            output.WriteLine($"error: {e.Message}");
            return 2;
        }
    }
}
