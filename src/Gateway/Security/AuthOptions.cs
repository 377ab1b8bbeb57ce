namespace Distribution.Gateway.Security;

/// <summary>Configuration section <c>Auth</c>.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>
    /// The bootstrap admin key (env <c>Auth__AdminKey</c>, at least 16 characters): deploy scripts and
    /// operators use it to create the clients' keys. Without one, a process generates one at start and logs it.
    /// </summary>
    public string? AdminKey { get; set; }

    /// <summary>
    /// How long a gateway trusts a verified key without asking the key store again: a revoked key
    /// keeps working on a gateway for at most this long. Zero: every request asks.
    /// </summary>
    public TimeSpan KeyCacheDuration { get; set; } = TimeSpan.FromSeconds(30);
}
