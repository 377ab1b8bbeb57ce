using System.Text;
using System.Text.Json;
using Distribution.Integration.BusinessEvents;

namespace Distribution.Integration.Webhooks;

/// <summary>The JSON body of a delivery and its headers' names.</summary>
public static class WebhookBody
{
    public const string EventIdHeader = "X-Distribution-Event-Id";
    public const string EventTypeHeader = "X-Distribution-Event-Type";
    public const string AttemptHeader = "X-Distribution-Delivery-Attempt";

    /// <summary><c>{id, type, entityKind, entityId, occurredAt, correlationId, data}</c>; data is the event's payload as published.</summary>
    public static string Of(BusinessEvent e)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", e.EventId);
            json.WriteString("type", e.Type);
            json.WriteString("entityKind", e.EntityKind);
            json.WriteString("entityId", e.EntityId);
            json.WriteString("occurredAt", e.OccurredAt);
            if (e.CorrelationId is null)
            {
                json.WriteNull("correlationId");
            }
            else
            {
                json.WriteString("correlationId", e.CorrelationId);
            }

            json.WritePropertyName("data");
            json.WriteRawValue(e.Payload);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
