using System.Text.Json;
using System.Text.Json.Serialization;

namespace Distribution.Integration.BusinessEvents;

/// <summary>Event data as the JSON subscribers receive (camelCase, enums as camelCase names).</summary>
public static class BusinessEventPayload
{
    public static readonly JsonSerializerOptions Json = Create();

    public static string Of(object data) => JsonSerializer.Serialize(data, Json);

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        return options;
    }
}
