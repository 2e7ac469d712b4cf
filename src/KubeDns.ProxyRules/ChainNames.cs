using System.Security.Cryptography;
using System.Text;

namespace KubeDns.ProxyRules;

/// <summary>
/// kube-proxy's chain names: a prefix and the first 16 characters of the RFC 4648 base32 (upper case,
/// standard alphabet) of SHA-256 over the service port name and protocol (and the endpoint for SEP chains),
/// so names are stable across restarts and implementations (pkg/proxy/iptables, servicePortChainName).
/// </summary>
internal static class ChainNames
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public static string Service(string servicePortName, string protocol) => "KUBE-SVC-" + CachedHash(servicePortName + protocol);

    /// <summary>The chain over local endpoints only (a <c>Local</c> traffic policy).</summary>
    public static string Local(string servicePortName, string protocol) => "KUBE-SVL-" + CachedHash(servicePortName + protocol);

    public static string External(string servicePortName, string protocol) => "KUBE-EXT-" + CachedHash(servicePortName + protocol);

    /// <summary>The chain that lets only <c>loadBalancerSourceRanges</c> reach the load-balancer IPs.</summary>
    public static string Firewall(string servicePortName, string protocol) => "KUBE-FW-" + CachedHash(servicePortName + protocol);

    public static string Endpoint(string servicePortName, string protocol, string endpoint) => "KUBE-SEP-" + CachedHash(servicePortName + protocol + endpoint);

    /// <summary>The 16-character hash of <paramref name="text"/>.</summary>
    public static string Hash(string text) => Hash(text, 16);

    /// <summary>
    /// The 16-character hash, remembered: every sync names every chain again (a partial sync too, to know which
    /// chains are wanted), and SHA-256 over 100,000 endpoints was most of a one-service sync's time. kube-proxy
    /// keeps the names on its endpoint objects for the same reason. Cleared when it outgrows a large cluster's
    /// worth of names, so churn cannot grow it without bound; safe from any thread.
    /// </summary>
    public static string CachedHash(string text)
    {
        if (Remembered.TryGetValue(text, out var hash))
        {
            return hash;
        }

        // Counted here: ConcurrentDictionary.Count takes every lock of the dictionary.
        if (Interlocked.Increment(ref rememberedCount) > RememberedMax)
        {
            Remembered.Clear();
            Interlocked.Exchange(ref rememberedCount, 1);
        }

        return Remembered[text] = Hash(text, 16);
    }

    private const int RememberedMax = 500_000;

    private static int rememberedCount;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Remembered = new(StringComparer.Ordinal);

    /// <summary>The first <paramref name="length"/> characters of the hash (nftables mode uses 8).</summary>
    public static string Hash(string text, int length)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        var result = new StringBuilder(length);
        int buffer = 0, bits = 0;
        foreach (var b in digest)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5 && result.Length < length)
            {
                result.Append(Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }

            if (result.Length == length)
            {
                break;
            }
        }

        return result.ToString();
    }
}
