using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Distribution.Integration.Webhooks;

/// <summary>
/// The signature of a delivery: HMAC-SHA256 with the subscription's secret over
/// "{timestamp}.{body}" (timestamp in Unix seconds, body as sent, UTF-8), lowercase hex, sent as
/// <c>X-Distribution-Signature: t={timestamp},v1={hex}</c>.
/// </summary>
public static class WebhookSignature
{
    public const string HeaderName = "X-Distribution-Signature";

    public static string Compute(string secret, long timestamp, string body)
    {
        var key = Encoding.UTF8.GetBytes(secret);
        var signed = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{timestamp}.{body}"));
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, signed));
    }

    public static string Header(string secret, long timestamp, string body) =>
        string.Create(CultureInfo.InvariantCulture, $"t={timestamp},v1={Compute(secret, timestamp, body)}");

    /// <summary>What a receiver does: parse the header, recompute, compare in constant time.</summary>
    public static bool Verify(string secret, string header, string body)
    {
        long? timestamp = null;
        string? signature = null;
        foreach (var part in header.Split(','))
        {
            var kv = part.Split('=', 2);
            if (kv.Length != 2)
            {
                continue;
            }

            if (kv[0] == "t" && long.TryParse(kv[1], NumberStyles.None, CultureInfo.InvariantCulture, out var t))
            {
                timestamp = t;
            }
            else if (kv[0] == "v1")
            {
                signature = kv[1];
            }
        }

        if (timestamp is not { } ts || signature is null)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Compute(secret, ts, body));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature));
    }
}
