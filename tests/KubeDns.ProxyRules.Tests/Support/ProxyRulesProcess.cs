namespace KubeDns.ProxyRules.Tests.Support;

/// <summary>The rule generator's command line (KubeDns.ProxyRules.dll beside the tests) run inside a namespace.</summary>
internal static class ProxyRulesProcess
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "KubeDns.ProxyRules.dll");

    /// <summary>
    /// The flags of the routed test node: its name, its IP, the pods' CIDR. <paramref name="mode"/> is the mode and
    /// any flags of its own ("iptables --iptables-layout kube-proxy").
    /// </summary>
    public static string[] NodeFlags(string mode, string manifests) =>
        ["--manifests", manifests, "--mode", .. mode.Split(' '), "--node-name", "node1", "--node-ip", RoutedCluster.NodeIP, "--cluster-cidr", RoutedCluster.PodCidr];

    /// <summary>One <c>--apply</c> run in <paramref name="node"/> (on iptables' legacy back end if asked); asserts it exits 0.</summary>
    public static string Apply(NetworkNamespace node, string mode, string manifests, bool legacyIptables = false) =>
        node.Exec([.. legacyIptables ? LegacyIptables.Env : [], "dotnet", Dll, .. NodeFlags(mode, manifests), "--apply"]);
}
