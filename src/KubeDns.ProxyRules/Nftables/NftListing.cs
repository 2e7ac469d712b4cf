using System.Text.RegularExpressions;

namespace KubeDns.ProxyRules.Nftables;

/// <summary>
/// Our per-service chains and affinity sets in <c>nft list table FAMILY kube-proxy</c> output: chains whose name
/// holds a '/' (kube-proxy's isServiceChainName) and sets named <c>affinity-…</c>.
/// </summary>
internal static partial class NftListing
{
    public static IReadOnlySet<string> OwnedObjects(string listing) =>
        Owned().Matches(listing).Select(m => m.Groups[1].Value).Where(NftNames.IsServiceChain).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"^\s*(?:chain|set) (\S+) \{", RegexOptions.Multiline)]
    private static partial Regex Owned();
}
