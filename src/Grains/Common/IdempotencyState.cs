namespace Distribution.Common;

[GenerateSerializer]
public sealed class IdempotencyState
{
    [Id(0)] public string? Fingerprint { get; set; }
    [Id(1)] public StoredResponse? Response { get; set; }
    [Id(2)] public DateTimeOffset At { get; set; }
}
