using System.Security.Cryptography;
using System.Text;

namespace Distribution.Gateway.Security;

/// <summary>
/// The text of an API key: <c>dk_{id}_{secret}</c>. The id finds the stored record; only the
/// SHA-256 of the secret is stored, so the key is shown once, when it is created.
/// </summary>
public static class ApiKey
{
    public const string Prefix = "dk_";
    private const int IdBytes = 6;
    private const int SecretBytes = 24;

    /// <summary>A new random key: its id, the hash to store and the text to hand to the client.</summary>
    public static (string Id, byte[] SecretHash, string Text) Issue()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdBytes));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(SecretBytes));
        return (id, Hash(secret), string.Concat(Prefix, id, "_", secret));
    }

    /// <summary>Splits a presented key into id and secret; false when it is not of this form.</summary>
    public static bool TryParse(string text, out string id, out string secret)
    {
        id = secret = "";
        if (!text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = text.AsSpan(Prefix.Length);
        var separator = rest.IndexOf('_');
        if (separator != IdBytes * 2 || rest.Length - separator - 1 < 16)
        {
            return false;
        }

        id = rest[..separator].ToString();
        secret = rest[(separator + 1)..].ToString();
        return true;
    }

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>A random admin key for a process started without <c>Auth:AdminKey</c>.</summary>
    public static string NewBootstrapKey() => "dk_admin_" + Base64Url(RandomNumberGenerator.GetBytes(SecretBytes));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
