using KubeDns.ProxyRules.Sync;

namespace KubeDns.ProxyRules.Iptables;

/// <summary>
/// The jumps from the built-in chains into kube-proxy's (pkg/proxy/iptables, iptablesJumpChains): not part of
/// the sync's program, inserted at the top of each built-in chain when the table's listing does not show them,
/// so that running twice adds nothing. kube-proxy checks each with <c>iptables -C</c> and inserts with <c>-I</c>;
/// here one <c>iptables-save</c> shows them all and one <c>iptables-restore --noflush</c> inserts the missing, in
/// the same order (each <c>-I</c> goes on top, so within a chain the later one ends first, as kube-proxy's do).
/// </summary>
internal static class IptablesEntryPoints
{
    private const string NewConnections = "-m conntrack --ctstate NEW ";

    private static readonly (string Table, string From, string To, string Comment, string Match)[] Jumps =
    [
        ("filter", "INPUT", "KUBE-PROXY-FIREWALL", "kubernetes load balancer firewall", NewConnections),
        ("filter", "INPUT", "KUBE-NODEPORTS", "kubernetes health check service ports", ""),
        ("filter", "INPUT", "KUBE-EXTERNAL-SERVICES", "kubernetes externally-visible service portals", NewConnections),
        ("filter", "FORWARD", "KUBE-PROXY-FIREWALL", "kubernetes load balancer firewall", NewConnections),
        ("filter", "FORWARD", "KUBE-FORWARD", "kubernetes forwarding rules", ""),
        ("filter", "FORWARD", "KUBE-SERVICES", "kubernetes service portals", NewConnections),
        ("filter", "FORWARD", "KUBE-EXTERNAL-SERVICES", "kubernetes externally-visible service portals", NewConnections),
        ("filter", "OUTPUT", "KUBE-PROXY-FIREWALL", "kubernetes load balancer firewall", NewConnections),
        ("filter", "OUTPUT", "KUBE-SERVICES", "kubernetes service portals", NewConnections),
        ("nat", "OUTPUT", "KUBE-SERVICES", "kubernetes service portals", ""),
        ("nat", "PREROUTING", "KUBE-SERVICES", "kubernetes service portals", ""),
        ("nat", "POSTROUTING", "KUBE-POSTROUTING", "kubernetes postrouting rules", ""),
    ];

    /// <summary>
    /// How long every iptables command waits for the xtables lock another program holds (kube-proxy's <c>-w 5</c>):
    /// bounded, so a stuck lock holder fails the sync (retried later) instead of hanging it.
    /// </summary>
    public const string LockWaitSeconds = "5";

    /// <summary>The listing and the insert program for <paramref name="binary"/> (iptables or ip6tables).</summary>
    public static EntryPointCommands For(string binary) => new([binary + "-save"], InsertMissing);

    /// <summary>
    /// The restore program inserting the jumps <paramref name="save"/> (<c>iptables-save</c> output) lacks, or
    /// null. A rule is matched as iptables-save prints it; a jump written differently by hand counts as missing.
    /// </summary>
    public static string? InsertMissing(string save)
    {
        var present = new HashSet<(string Table, string Rule)>();
        var table = "";
        foreach (var raw in save.Split('\n'))
        {
            var line = raw.TrimEnd();
            if (line.StartsWith('*'))
            {
                table = line[1..];
            }
            else if (line.StartsWith("-A ", StringComparison.Ordinal))
            {
                present.Add((table, line[3..]));
            }
        }

        var program = new System.Text.StringBuilder();
        foreach (var group in Jumps.Where(j => !present.Contains((j.Table, Rule(j)))).GroupBy(j => j.Table))
        {
            program.Append('*').Append(group.Key).Append('\n');
            foreach (var jump in group)
            {
                program.Append("-I ").Append(Rule(jump)).Append('\n');
            }

            program.Append("COMMIT\n");
        }

        return program.Length == 0 ? null : program.ToString();
    }

    private static string Rule((string Table, string From, string To, string Comment, string Match) jump) =>
        $"{jump.From} {jump.Match}-m comment --comment \"{jump.Comment}\" -j {jump.To}";
}
