using System.Text.RegularExpressions;

namespace KubeDns.ProxyRules.Nftables;

/// <summary>
/// Our per-service chains and affinity sets in the kernel: chains whose name holds a '/' (kube-proxy's
/// isServiceChainName) and sets named <c>affinity-…</c>, in the <c>kube-proxy</c> table of the family.
/// </summary>
internal static partial class NftListing
{
    /// <summary>
    /// The listing command: chain and set headers only. <c>nft list table</c> prints every rule and element too,
    /// and took 29 s at 10,000 services in kube-proxy's layout (kubernetes#139513 has the same wall); headers
    /// take 0.1 s. Unlike <c>list table</c> it succeeds with no table yet (nothing listed), so a failure is real.
    /// Headers are listed per family, every table of it: <see cref="OwnedObjects"/> keeps ours.
    /// </summary>
    public static string[] Command(bool ipv6) => ["nft", "--terse", $"list chains {Family(ipv6)} ; list sets {Family(ipv6)}"];

    public static IReadOnlySet<string> OwnedObjects(string listing)
    {
        var owned = new HashSet<string>(StringComparer.Ordinal);
        var inOurs = false;
        foreach (var line in listing.Split('\n'))
        {
            if (Table().Match(line) is { Success: true } table)
            {
                inOurs = table.Groups[1].Value == NftScript.Table;
            }
            else if (inOurs && Owned().Match(line) is { Success: true } owner && NftNames.IsServiceChain(owner.Groups[1].Value))
            {
                owned.Add(owner.Groups[1].Value);
            }
        }

        return owned;
    }

    private static string Family(bool ipv6) => ipv6 ? "ip6" : "ip";

    [GeneratedRegex(@"^table \S+ (\S+) \{")]
    private static partial Regex Table();

    [GeneratedRegex(@"^\s*(?:chain|set) (\S+) \{")]
    private static partial Regex Owned();
}
