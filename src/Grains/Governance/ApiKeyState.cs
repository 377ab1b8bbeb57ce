namespace Distribution.Governance;

/// <summary>Stored API keys by id.</summary>
[GenerateSerializer]
public sealed class ApiKeyState
{
    [Id(0)] public Dictionary<string, StoredApiKey> Keys { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>One key: what is listed, plus the SHA-256 of its secret.</summary>
[GenerateSerializer]
public sealed class StoredApiKey
{
    [Id(0)] public string Id { get; set; } = "";
    [Id(1)] public string Name { get; set; } = "";
    [Id(2)] public List<string> Scopes { get; set; } = [];
    [Id(3)] public byte[] SecretHash { get; set; } = [];
    [Id(4)] public DateTimeOffset CreatedAt { get; set; }
    [Id(5)] public DateTimeOffset? RevokedAt { get; set; }

    public ApiKeyInfo ToInfo() => new(Id, Name, Scopes, CreatedAt, RevokedAt);
}
