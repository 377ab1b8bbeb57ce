using Distribution.Events;

namespace Distribution.Operations;

/// <summary>Stored state of one exception-queue shard.</summary>
[GenerateSerializer]
public sealed class ExceptionShardState
{
    [Id(0)] public Dictionary<string, ExceptionRecord> Exceptions { get; set; } = new(StringComparer.Ordinal);
}

[GenerateSerializer]
public sealed class ExceptionRecord
{
    [Id(0)] public required ExceptionRaise Raised { get; set; }
    [Id(1)] public ExceptionStatus Status { get; set; }
    [Id(2)] public DateTimeOffset RaisedAt { get; set; }
    [Id(3)] public DateTimeOffset UpdatedAt { get; set; }
    [Id(4)] public int Occurrences { get; set; } = 1;
    [Id(5)] public int Retries { get; set; }
    [Id(6)] public string? ResolutionNote { get; set; }
    [Id(7)] public List<ExceptionHistoryEntry> History { get; set; } = [];

    public const int MaxHistory = 50;

    public JournaledEvent? Event => Raised.Event;
}
