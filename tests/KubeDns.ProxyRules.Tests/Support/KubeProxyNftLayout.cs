using System.Text.RegularExpressions;

namespace KubeDns.ProxyRules.Tests.Support;

/// <summary>
/// Rewrites kube-proxy's nftables output into our layout, applying exactly the deviations the README lists and
/// nothing else, so that the golden test still compares everything else against kube-proxy's own expected
/// output: endpoint chains folded into the service chains (each endpoint's DNAT, and its affinity update, in
/// the rule that picks it; <c>numgen … vmap</c> replaced by one rule per endpoint, endpoint i of n taken with
/// probability 1/(n - i)); each endpoint chain's hairpin match replaced by an element of the
/// <c>hairpin-endpoints</c> set, which one rule in <c>masquerading</c> checks.
/// </summary>
internal static partial class KubeProxyNftLayout
{
    private const string Prefix = "add rule ip kube-proxy ";

    public static string ToOurs(string kubeProxy)
    {
        var lines = kubeProxy.Split('\n');
        var endpoints = new Dictionary<string, (string Protocol, string Target, string? Update)>(StringComparer.Ordinal);
        var hairpins = new List<string>();
        foreach (var line in lines)
        {
            if (Dnat().Match(line) is { Success: true } dnat)
            {
                var (protocol, target) = (dnat.Groups[2].Value, dnat.Groups[3].Value);
                endpoints[dnat.Groups[1].Value] = endpoints.TryGetValue(dnat.Groups[1].Value, out var e) ? e with { Protocol = protocol, Target = target } : (protocol, target, null);
            }
            else if (Update().Match(line) is { Success: true } update)
            {
                endpoints[update.Groups[1].Value] = endpoints.TryGetValue(update.Groups[1].Value, out var e) ? e with { Update = update.Groups[2].Value } : ("", "", update.Groups[2].Value);
            }
            else if (Hairpin().Match(line) is { Success: true } hairpin)
            {
                hairpins.Add(hairpin.Groups[2].Value);
            }
        }

        string Pick(string endpoint, string condition)
        {
            var (protocol, target, update) = endpoints[endpoint];
            return $"meta l4proto {protocol} {condition}{(update is null ? "" : $"update @{update} {{ ip saddr }} ")}dnat to {target}";
        }

        var ours = new List<string>();
        foreach (var line in lines)
        {
            if (EndpointObject().IsMatch(line))
            {
                continue;
            }

            if (AffinityGoto().Match(line) is { Success: true } sticky)
            {
                ours.Add($"{Prefix}{sticky.Groups[1].Value} ip saddr @{sticky.Groups[2].Value} {Pick(sticky.Groups[3].Value, "")}");
            }
            else if (Choice().Match(line) is { Success: true } choice)
            {
                var targets = choice.Groups[2].Value.Split(" , ").Select(c => c.Split(" : goto ")[1]).ToList();
                for (var i = 0; i < targets.Count; i++)
                {
                    ours.Add($"{Prefix}{choice.Groups[1].Value} {Pick(targets[i], i < targets.Count - 1 ? $"numgen random mod {targets.Count - i} 0 " : "")}");
                }
            }
            else
            {
                if (line == Prefix + "masquerading mark and 0x4000 == 0 return")
                {
                    ours.Add("add set ip kube-proxy hairpin-endpoints { type ipv4_addr . ipv4_addr ; comment \"endpoint . endpoint: hairpin traffic to masquerade\" ; }");
                    ours.Add(Prefix + "masquerading ip saddr . ip daddr @hairpin-endpoints jump mark-for-masquerade");
                }

                ours.Add(line);
            }
        }

        ours.AddRange(hairpins.Distinct().Select(a => $"add element ip kube-proxy hairpin-endpoints {{ {a} . {a} }}"));
        return string.Join('\n', ours);
    }

    [GeneratedRegex(@"^add (?:chain|rule) ip kube-proxy endpoint-")]
    private static partial Regex EndpointObject();

    [GeneratedRegex(@"^add rule ip kube-proxy (endpoint-\S+) meta l4proto (\S+) dnat to (\S+)$")]
    private static partial Regex Dnat();

    [GeneratedRegex(@"^add rule ip kube-proxy (endpoint-\S+) update @(\S+) \{ ip saddr \}$")]
    private static partial Regex Update();

    [GeneratedRegex(@"^add rule ip kube-proxy (endpoint-\S+) ip saddr (\S+) jump mark-for-masquerade$")]
    private static partial Regex Hairpin();

    [GeneratedRegex(@"^add rule ip kube-proxy (\S+) ip saddr @(\S+) goto (endpoint-\S+)$")]
    private static partial Regex AffinityGoto();

    [GeneratedRegex(@"^add rule ip kube-proxy (\S+) numgen random mod \d+ vmap \{ (.*) \}$")]
    private static partial Regex Choice();
}
