using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Distribution.Gateway;

namespace Distribution.Simulator;

/// <summary>The hub's HTTP API as the simulator uses it: JSON as the gateway writes it, errors as exceptions with the problem text.</summary>
internal sealed class HubApi(HttpClient http)
{
    private static readonly JsonSerializerOptions Json = CreateJson();

    public async Task PutAsync<T>(string path, T body)
    {
        using var response = await http.PutAsJsonAsync(path, body, Json);
        await EnsureAsync(response, path);
    }

    public async Task PostAsync<T>(string path, T body)
    {
        using var response = await http.PostAsJsonAsync(path, body, Json);
        await EnsureAsync(response, path);
    }

    public async Task<TResult> PostAsync<T, TResult>(string path, T body)
    {
        using var response = await http.PostAsJsonAsync(path, body, Json);
        await EnsureAsync(response, path);
        return (await response.Content.ReadFromJsonAsync<TResult>(Json))!;
    }

    public async Task<TResult?> GetAsync<TResult>(string path)
    {
        using var response = await http.GetAsync(path);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return default;
        }

        await EnsureAsync(response, path);
        return await response.Content.ReadFromJsonAsync<TResult>(Json);
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string path)
    {
        if (!response.IsSuccessStatusCode)
        {
            var detail = await response.Content.ReadAsStringAsync();
            throw new HttpRequestException($"{response.RequestMessage?.Method} {path}: {(int)response.StatusCode} {detail}", null, response.StatusCode);
        }
    }

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        GatewayHosting.ConfigureJson(options);
        return options;
    }
}
