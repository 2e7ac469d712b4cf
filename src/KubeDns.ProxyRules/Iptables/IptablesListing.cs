using System.Text.RegularExpressions;

namespace KubeDns.ProxyRules.Iptables;

/// <summary>Our chains in <c>iptables-save -t nat</c> output: kube-proxy's per-service prefixes (isServiceChainName).</summary>
internal static partial class IptablesListing
{
    public static IReadOnlySet<string> OwnedChains(string save) =>
        OwnedChain().Matches(save).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"^:(KUBE-(?:SVC|SVL|EXT|FW|SEP)-[A-Z2-7]{16}) ", RegexOptions.Multiline)]
    private static partial Regex OwnedChain();
}
