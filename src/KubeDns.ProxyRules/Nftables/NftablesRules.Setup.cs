using System.Net;

namespace KubeDns.ProxyRules.Nftables;

/// <summary>The fixed objects of the table (kube-proxy's setupNFTables), written on every full sync.</summary>
internal sealed partial class NftablesRules
{
    public const string MasqueradeChain = "mark-for-masquerade";
    public const string RejectChain = "reject-chain";
    public const string ClusterIPs = "cluster-ips";
    public const string NodePortIPs = "nodeport-ips";
    public const string ServiceIPs = "service-ips";
    public const string ServiceNodePorts = "service-nodeports";
    public const string FirewallIPs = "firewall-ips";
    public const string NoEndpointServices = "no-endpoint-services";
    public const string NoEndpointNodePorts = "no-endpoint-nodeports";
    public const string HairpinEndpoints = "hairpin-endpoints";

    /// <summary>kube-proxy's default masquerade bit 14, written as its tests expect it.</summary>
    private const string MasqMark = "0x4000";

    /// <summary>The sets and maps whose elements are the services, in kube-proxy's reset order.</summary>
    private static readonly (string Kind, string Name)[] RefilledContainers =
    [
        ("set", ClusterIPs), ("map", ServiceIPs), ("map", FirewallIPs), ("map", NoEndpointServices), ("map", NoEndpointNodePorts), ("map", ServiceNodePorts),
        ("set", HairpinEndpoints),
    ];

    /// <summary>
    /// The base chains (the hooks) as of kube-proxy 1.34: the firewall runs before DNAT (priority dstnat-10)
    /// so that it sees the load-balancer IP; the endpoint checks run after it, when a DNATed packet already
    /// went to its endpoint.
    /// </summary>
    private static readonly (string Name, string Spec)[] BaseChains =
    [
        ("filter-prerouting-pre-dnat", "type filter hook prerouting priority -110"),
        ("filter-output-pre-dnat", "type filter hook output priority -110"),
        ("filter-input", "type filter hook input priority 0"),
        ("filter-forward", "type filter hook forward priority 0"),
        ("filter-output", "type filter hook output priority 0"),
        ("nat-prerouting", "type nat hook prerouting priority -100"),
        ("nat-output", "type nat hook output priority -100"),
        ("nat-postrouting", "type nat hook postrouting priority 100"),
    ];

    /// <summary>
    /// Which base chains jump to which fixed chain, in kube-proxy's order (the order of the jumps inside one
    /// base chain matters: the endpoint checks come before the cluster-IP check). Filter jumps only look at
    /// new connections: a connection's first packet decides.
    /// </summary>
    private static readonly (string Target, string[] From)[] Jumps =
    [
        ("nodeport-endpoints-check", ["filter-input"]),
        ("service-endpoints-check", ["filter-input", "filter-forward", "filter-output"]),
        ("firewall-check", ["filter-prerouting-pre-dnat", "filter-output-pre-dnat"]),
        ("services", ["nat-output", "nat-prerouting"]),
        ("masquerading", ["nat-postrouting"]),
        ("cluster-ips-check", ["filter-forward", "filter-output"]),
    ];

    private void WriteSetup(NftScript script)
    {
        var ip = settings.IsIPv6 ? "ip6" : "ip";
        var addr = settings.IsIPv6 ? "ipv6_addr" : "ipv4_addr";
        script.AddTable("rules for kube-proxy");
        var ensured = new HashSet<string>(StringComparer.Ordinal);
        void Ensure(string chain, string? spec = null)
        {
            // Once only: a second flush would drop the rules already added to it.
            if (ensured.Add(chain))
            {
                script.EnsureChain(chain, spec);
            }
        }

        // A base chain's type, hook and priority cannot be changed by "add chain" (the kernel answers "Operation
        // not supported", measured on 6.18 with a -110 filter-input from kube-proxy before 1.34), so each is
        // deleted and created again. kube-proxy does this on the first sync of the process only; here it is every
        // full sync, which also covers a table left by another version after a failed load. In one transaction
        // no packet passes between the delete and the add.
        foreach (var (name, _) in BaseChains)
        {
            script.AddChain(name);
            script.DeleteChain(name);
        }

        foreach (var (name, spec) in BaseChains)
        {
            Ensure(name, spec);
        }

        foreach (var (target, from) in Jumps)
        {
            Ensure(target);
            foreach (var chain in from)
            {
                script.Rule(chain, (chain.StartsWith("filter-", StringComparison.Ordinal) ? "ct state new " : "") + "jump " + target);
            }
        }

        Ensure("services");
        Ensure("cluster-ips-check");
        Ensure("masquerading");
        Ensure(MasqueradeChain);
        script.Rule(MasqueradeChain, $"mark set mark or {MasqMark}");

        // A packet DNATed back to its own source (a pod reaching itself through its service) is masqueraded, or
        // the pod would answer itself directly and drop the reply. Only such a packet leaves the node with its
        // destination equal to its source: one set of endpoint . endpoint pairs finds it.
        script.AddContainer("set", HairpinEndpoints, $"type {addr} . {addr} ; comment \"endpoint . endpoint: hairpin traffic to masquerade\"");
        script.Rule("masquerading", $"{ip} saddr . {ip} daddr @{HairpinEndpoints} jump {MasqueradeChain}");

        // Marked packets are masqueraded on the way out; the mark is cleared first so that a packet that goes
        // through the stack again (a tunnel) is not masqueraded twice.
        script.Rule("masquerading", $"mark and {MasqMark} == 0 return");
        script.Rule("masquerading", $"mark set mark xor {MasqMark}");
        script.Rule("masquerading", "masquerade fully-random");

        // Ports of a cluster IP that no service uses are refused at once rather than left to time out. Without a
        // service-CIDR flag there is no rule dropping traffic to unallocated cluster IPs.
        script.AddContainer("set", ClusterIPs, $"type {addr} ; comment \"Active ClusterIPs\"");
        script.Rule("cluster-ips-check", $"{ip} daddr @{ClusterIPs} reject", "Reject traffic to invalid ports of ClusterIPs");

        // Node ports answer on the node IPs given, or on every local address but loopback (the default
        // nodePortAddresses, where the set is not used and so is removed).
        var nodeIPs = settings.NodeAddresses.Where(a => !IPAddress.IsLoopback(a)).ToList();
        script.AddContainer("set", NodePortIPs, $"type {addr} ; comment \"IPs that accept NodePort traffic\"");
        if (nodeIPs.Count == 0)
        {
            script.DeleteSet(NodePortIPs);
        }
        else
        {
            script.Flush("set", NodePortIPs);
            foreach (var nodeIP in nodeIPs)
            {
                script.Element(NodePortIPs, nodeIP.ToString());
            }
        }

        var noLocalhost = settings.IsIPv6 ? "ip6 daddr != ::1" : "ip daddr != 127.0.0.0/8";
        var nodePortMatch = nodeIPs.Count == 0 ? noLocalhost : $"{ip} daddr @{NodePortIPs}";

        // Without endpoints: drop (Local policy, endpoints elsewhere) or reject (none anywhere), after DNAT did
        // not happen; reject in a chain because a vmap verdict cannot be "reject".
        script.AddContainer("map", NoEndpointServices, $"type {addr} . inet_proto . inet_service : verdict ; comment \"vmap to drop or reject packets to services with no endpoints\"");
        script.AddContainer("map", NoEndpointNodePorts, "type inet_proto . inet_service : verdict ; comment \"vmap to drop or reject packets to service nodeports with no endpoints\"");
        Ensure(RejectChain, "comment \"helper for @no-endpoint-services / @no-endpoint-nodeports\"");
        script.Rule(RejectChain, "reject");
        script.Rule("service-endpoints-check", $"{ip} daddr . meta l4proto . th dport vmap @{NoEndpointServices}");
        script.Rule("nodeport-endpoints-check", $"{nodePortMatch} meta l4proto . th dport vmap @{NoEndpointNodePorts}");

        script.AddContainer("map", FirewallIPs, $"type {addr} . inet_proto . inet_service : verdict ; comment \"destinations that are subject to LoadBalancerSourceRanges\"");
        script.Rule("firewall-check", $"{ip} daddr . meta l4proto . th dport vmap @{FirewallIPs}");

        script.AddContainer("map", ServiceIPs, $"type {addr} . inet_proto . inet_service : verdict ; comment \"ClusterIP, ExternalIP and LoadBalancer IP traffic\"");
        script.AddContainer("map", ServiceNodePorts, "type inet_proto . inet_service : verdict ; comment \"NodePort traffic\"");
        script.Rule("services", $"{ip} daddr . meta l4proto . th dport vmap @{ServiceIPs}");
        script.Rule("services", (nodeIPs.Count == 0 ? "fib daddr type local " + noLocalhost : nodePortMatch) + $" meta l4proto . th dport vmap @{ServiceNodePorts}");
    }
}
