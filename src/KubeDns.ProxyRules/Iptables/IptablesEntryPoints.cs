using KubeDns.ProxyRules.Sync;

namespace KubeDns.ProxyRules.Iptables;

/// <summary>
/// The jumps from the built-in chains into kube-proxy's (pkg/proxy/iptables, iptablesJumpChains): not part of
/// the restore input, inserted at the top of each built-in chain with <c>iptables -I</c> when <c>-C</c> does not
/// find them, so that running twice adds nothing.
/// </summary>
internal static class IptablesEntryPoints
{
    private static readonly string[] NewConnections = ["-m", "conntrack", "--ctstate", "NEW"];

    private static readonly (string Table, string From, string To, string Comment, string[] Match)[] Jumps =
    [
        ("filter", "INPUT", "KUBE-PROXY-FIREWALL", "kubernetes load balancer firewall", NewConnections),
        ("filter", "INPUT", "KUBE-NODEPORTS", "kubernetes health check service ports", []),
        ("filter", "INPUT", "KUBE-EXTERNAL-SERVICES", "kubernetes externally-visible service portals", NewConnections),
        ("filter", "FORWARD", "KUBE-PROXY-FIREWALL", "kubernetes load balancer firewall", NewConnections),
        ("filter", "FORWARD", "KUBE-FORWARD", "kubernetes forwarding rules", []),
        ("filter", "FORWARD", "KUBE-SERVICES", "kubernetes service portals", NewConnections),
        ("filter", "FORWARD", "KUBE-EXTERNAL-SERVICES", "kubernetes externally-visible service portals", NewConnections),
        ("filter", "OUTPUT", "KUBE-PROXY-FIREWALL", "kubernetes load balancer firewall", NewConnections),
        ("filter", "OUTPUT", "KUBE-SERVICES", "kubernetes service portals", NewConnections),
        ("nat", "OUTPUT", "KUBE-SERVICES", "kubernetes service portals", []),
        ("nat", "PREROUTING", "KUBE-SERVICES", "kubernetes service portals", []),
        ("nat", "POSTROUTING", "KUBE-POSTROUTING", "kubernetes postrouting rules", []),
    ];

    /// <summary>
    /// How long every iptables command waits for the xtables lock another program holds (kube-proxy's <c>-w 5</c>):
    /// bounded, so a stuck lock holder fails the sync (retried later) instead of hanging it.
    /// </summary>
    public const string LockWaitSeconds = "5";

    /// <summary>The check and insert commands for <paramref name="binary"/> (iptables or ip6tables).</summary>
    public static IReadOnlyList<EntryPoint> For(string binary) =>
        [.. Jumps.Select(jump =>
        {
            string[] rule = [.. jump.Match, "-m", "comment", "--comment", jump.Comment, "-j", jump.To];
            return new EntryPoint(
                [binary, "-w", LockWaitSeconds, "-t", jump.Table, "-C", jump.From, .. rule],
                [binary, "-w", LockWaitSeconds, "-t", jump.Table, "-I", jump.From, .. rule]);
        })];
}
