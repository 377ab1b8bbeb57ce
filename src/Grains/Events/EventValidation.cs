using Distribution.Common;

namespace Distribution.Events;

/// <summary>The rules a posted warehouse event must meet to be accepted into the journal.</summary>
public static class EventValidation
{
    public const int MaxReasonCodeLength = 50;

    /// <summary>How far ahead of the hub's clock an event may claim to have happened (clock skew).</summary>
    public static readonly TimeSpan MaxFutureSkew = TimeSpan.FromDays(1);

    private static readonly string TypeNames = string.Join(", ", Enum.GetNames<WarehouseEventType>());

    /// <summary>
    /// Checks one event (fields named <c>{prefix}.field</c>). An event older than
    /// <paramref name="dedupeWindow"/> is refused: the journal could no longer tell it from a duplicate.
    /// </summary>
    public static IReadOnlyList<FieldError> Validate(
        WarehouseEventRequest r, string prefix, DateTimeOffset now, TimeSpan dedupeWindow, out WarehouseEvent? valid)
    {
        valid = null;
        var errors = new List<FieldError>();
        Identifiers.Check(errors, prefix, "eventId", r.EventId);
        Identifiers.Check(errors, prefix, "warehouseId", r.WarehouseId);
        Identifiers.Check(errors, prefix, "sku", r.Sku);
        if (string.IsNullOrEmpty(r.Type))
        {
            errors.Add(new($"{prefix}.type", "is required"));
            return errors;
        }

        if (!EnumNames.TryParse<WarehouseEventType>(r.Type, out var type))
        {
            errors.Add(new($"{prefix}.type", $"unknown type '{r.Type}'; expected one of {TypeNames}"));
            return errors;
        }

        CheckQuantity(errors, prefix, type, r.Quantity);
        CheckReferences(errors, prefix, type, r);
        if (r.ReasonCode is not null && !(type is WarehouseEventType.Adjusted && string.IsNullOrWhiteSpace(r.ReasonCode)) && (string.IsNullOrWhiteSpace(r.ReasonCode) || r.ReasonCode.Length > MaxReasonCodeLength || r.ReasonCode.Any(char.IsControl)))
        {
            errors.Add(new($"{prefix}.reasonCode", $"must be 1-{MaxReasonCodeLength} printable characters, not only spaces"));
        }

        if (r.OccurredAt is not { } at)
        {
            errors.Add(new($"{prefix}.occurredAt", "is required"));
        }
        else if (at > now + MaxFutureSkew)
        {
            errors.Add(new($"{prefix}.occurredAt", $"is more than {MaxFutureSkew.TotalHours:0} hours in the future"));
        }
        else if (at < now - dedupeWindow)
        {
            errors.Add(new($"{prefix}.occurredAt", $"is older than the {dedupeWindow.TotalDays:0}-day duplicate window; post it as an adjustment"));
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        valid = new WarehouseEvent
        {
            EventId = r.EventId!,
            WarehouseId = r.WarehouseId!,
            Type = type,
            Sku = r.Sku!,
            Quantity = r.Quantity,
            ReasonCode = r.ReasonCode,
            OrderId = r.OrderId,
            LineId = r.LineId,
            TransferId = r.TransferId,
            PurchaseOrderId = r.PurchaseOrderId,
            OccurredAt = r.OccurredAt!.Value,
            Sequence = r.Sequence,
        };
        return errors;
    }

    private static void CheckQuantity(List<FieldError> errors, string prefix, WarehouseEventType type, int quantity)
    {
        switch (type)
        {
            case WarehouseEventType.Adjusted when quantity == 0:
                errors.Add(new($"{prefix}.quantity", "must not be 0 (a signed change of on-hand)"));
                break;
            case WarehouseEventType.Counted when quantity < 0:
                errors.Add(new($"{prefix}.quantity", "must be 0 or more (the counted on-hand)"));
                break;
            case not (WarehouseEventType.Adjusted or WarehouseEventType.Counted) when quantity <= 0:
                errors.Add(new($"{prefix}.quantity", "must be positive"));
                break;
        }
    }

    private static void CheckReferences(List<FieldError> errors, string prefix, WarehouseEventType type, WarehouseEventRequest r)
    {
        if (type is WarehouseEventType.Picked or WarehouseEventType.Shipped)
        {
            // Stock leaving without an order is an adjustment with a reason code.
            Identifiers.Check(errors, prefix, "orderId", r.OrderId);
            Identifiers.Check(errors, prefix, "lineId", r.LineId);
        }
        else
        {
            Optional(errors, prefix, "orderId", r.OrderId);
            Optional(errors, prefix, "lineId", r.LineId);
        }

        if (type is WarehouseEventType.TransferShipped or WarehouseEventType.TransferReceived)
        {
            Identifiers.Check(errors, prefix, "transferId", r.TransferId);
        }
        else
        {
            Optional(errors, prefix, "transferId", r.TransferId);
        }

        if (type is WarehouseEventType.PurchaseReceived)
        {
            Identifiers.Check(errors, prefix, "purchaseOrderId", r.PurchaseOrderId);
        }
        else
        {
            Optional(errors, prefix, "purchaseOrderId", r.PurchaseOrderId);
        }

        if (type is WarehouseEventType.Adjusted && string.IsNullOrWhiteSpace(r.ReasonCode))
        {
            errors.Add(new($"{prefix}.reasonCode", "is required for an adjustment"));
        }
    }

    private static void Optional(List<FieldError> errors, string prefix, string name, string? id)
    {
        if (id is not null)
        {
            Identifiers.Check(errors, prefix, name, id);
        }
    }
}
