using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using KubeDns.Cluster.Model;

namespace KubeDns.ProxyRules.Iptables;

/// <summary>Settings that change the rules, as kube-proxy's flags do.</summary>
internal sealed record IptablesSettings(AddressFamily Family, string? ClusterCidr = null, bool MasqueradeAll = false);

/// <summary>
/// The <c>iptables-restore --noflush</c> input kube-proxy writes for ClusterIP and NodePort services
/// (externalTrafficPolicy Cluster), following ../shared/reference/kube-proxy.md: <c>*filter</c> then
/// <c>*nat</c>, every chain declared before the rules, REJECT for service ports without usable endpoints,
/// one KUBE-SVC chain per service port that spreads over KUBE-SEP chains with
/// <c>--probability 1/(n-i)</c> written with 10 decimals, hairpin masquerade, the mark chains.
/// </summary>
internal static class IptablesRules
{
    private const string MasqMark = "0x4000";

    public static string Generate(IEnumerable<ServiceInfo> services, IReadOnlyList<EndpointSliceInfo> slices, IptablesSettings settings)
    {
        var ports = services
            .OrderBy(s => s.Namespace, StringComparer.Ordinal).ThenBy(s => s.Name, StringComparer.Ordinal)
            .SelectMany(s => ServicePort.From(s, slices, settings.Family))
            .ToList();
        var filter = new Table("filter", ["KUBE-SERVICES", "KUBE-EXTERNAL-SERVICES", "KUBE-FORWARD"]);
        var nat = new Table("nat", ["KUBE-SERVICES", "KUBE-NODEPORTS", "KUBE-POSTROUTING", "KUBE-MARK-MASQ"]);

        filter.Rule("KUBE-FORWARD", "-m conntrack --ctstate INVALID -j DROP");
        filter.Rule("KUBE-FORWARD", $"-m comment --comment \"kubernetes forwarding rules\" -m mark --mark {MasqMark}/{MasqMark} -j ACCEPT");
        filter.Rule("KUBE-FORWARD", "-m comment --comment \"kubernetes forwarding conntrack rule\" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT");
        nat.Rule("KUBE-POSTROUTING", $"-m mark ! --mark {MasqMark}/{MasqMark} -j RETURN");
        nat.Rule("KUBE-POSTROUTING", $"-j MARK --xor-mark {MasqMark}");
        nat.Rule("KUBE-POSTROUTING", "-m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE --random-fully");
        nat.Rule("KUBE-MARK-MASQ", $"-j MARK --or-mark {MasqMark}");

        foreach (var port in ports)
        {
            if (port.Endpoints.Count == 0)
            {
                AddRejects(filter, port);
            }
            else
            {
                AddChains(nat, port, settings);
            }
        }

        nat.Rule("KUBE-SERVICES", "-m comment --comment \"kubernetes service nodeports; NOTE: this must be the last rule in this chain\" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS");
        return filter.ToString() + nat;
    }

    private static void AddRejects(Table filter, ServicePort port)
    {
        var comment = Comment($"{port.Name} has no endpoints");
        filter.Rule("KUBE-SERVICES", $"-m comment --comment {comment} -m {port.Protocol} -p {port.Protocol} -d {Host(port.ClusterIP)} --dport {Number(port.Port.Port)} -j REJECT");
        foreach (var address in ExternalAddresses(port).Select(e => e.Address))
        {
            filter.Rule("KUBE-EXTERNAL-SERVICES", $"-m comment --comment {comment} -m {port.Protocol} -p {port.Protocol} -d {Host(address)} --dport {Number(port.Port.Port)} -j REJECT");
        }

        if (port.Port.NodePort > 0)
        {
            filter.Rule("KUBE-EXTERNAL-SERVICES", $"-m comment --comment {comment} -m addrtype --dst-type LOCAL -m {port.Protocol} -p {port.Protocol} --dport {Number(port.Port.NodePort)} -j REJECT");
        }
    }

    private static void AddChains(Table nat, ServicePort port, IptablesSettings settings)
    {
        var svc = ChainNames.Service(port.Name, port.Protocol);
        var match = $"-m {port.Protocol} -p {port.Protocol} -d {Host(port.ClusterIP)} --dport {Number(port.Port.Port)}";
        var clusterIPComment = Comment($"{port.Name} cluster IP");
        nat.Declare(svc);
        nat.Rule("KUBE-SERVICES", $"-m comment --comment {clusterIPComment} {match} -j {svc}");
        if (settings.MasqueradeAll)
        {
            nat.Rule(svc, $"-m comment --comment {clusterIPComment} {match} -j KUBE-MARK-MASQ");
        }
        else if (settings.ClusterCidr is { } cidr)
        {
            nat.Rule(svc, $"-m comment --comment {clusterIPComment} {match} ! -s {cidr} -j KUBE-MARK-MASQ");
        }

        var external = ExternalAddresses(port);
        if (port.Port.NodePort > 0 || external.Count > 0)
        {
            // Traffic from outside the cluster (externalTrafficPolicy Cluster): masquerade, then the service chain.
            var ext = ChainNames.External(port.Name, port.Protocol);
            nat.Declare(ext);
            foreach (var (address, what) in external)
            {
                nat.Rule("KUBE-SERVICES", $"-m comment --comment {Comment($"{port.Name} {what}")} -m {port.Protocol} -p {port.Protocol} -d {Host(address)} --dport {Number(port.Port.Port)} -j {ext}");
            }

            if (port.Port.NodePort > 0)
            {
                nat.Rule("KUBE-NODEPORTS", $"-m comment --comment {Comment(port.Name)} -m {port.Protocol} -p {port.Protocol} --dport {Number(port.Port.NodePort)} -j {ext}");
            }

            nat.Rule(ext, $"-m comment --comment {Comment($"masquerade traffic for {port.Name} external destinations")} -j KUBE-MARK-MASQ");
            nat.Rule(ext, $"-j {svc}");
        }

        // ClientIP affinity (the recent module remembers which endpoint each client went to): checked first.
        var affinity = port.Service.Routing?.AffinityTimeoutSeconds ?? 0;
        if (affinity > 0)
        {
            foreach (var endpoint in port.Endpoints)
            {
                var sep = ChainNames.Endpoint(port.Name, port.Protocol, endpoint);
                nat.Rule(svc, $"-m comment --comment {Comment($"{port.Name} -> {endpoint}")} -m recent --name {sep} --mask {FullMask(port)} --rsource --rcheck --seconds {Number(affinity)} --reap -j {sep}");
            }
        }

        for (var i = 0; i < port.Endpoints.Count; i++)
        {
            var endpoint = port.Endpoints[i];
            var sep = ChainNames.Endpoint(port.Name, port.Protocol, endpoint);
            nat.Declare(sep);
            var remaining = port.Endpoints.Count - i;
            var pick = remaining > 1 ? $" -m statistic --mode random --probability {(1.0 / remaining).ToString("F10", CultureInfo.InvariantCulture)}" : "";
            nat.Rule(svc, $"-m comment --comment {Comment($"{port.Name} -> {endpoint}")}{pick} -j {sep}");

            var address = endpoint[..endpoint.LastIndexOf(':')].Trim('[', ']');
            nat.Rule(sep, $"-m comment --comment {Comment(port.Name)} -s {address} -j KUBE-MARK-MASQ");
            var remember = affinity > 0 ? $" -m recent --set --name {sep} --mask {FullMask(port)} --rsource" : "";
            nat.Rule(sep, $"-m comment --comment {Comment(port.Name)}{remember} -m {port.Protocol} -p {port.Protocol} -j DNAT --to-destination {endpoint}");
        }
    }

    /// <summary>The service's external IPs and load-balancer ingress IPs of this family, with kube-proxy's comment words.</summary>
    private static List<(IPAddress Address, string What)> ExternalAddresses(ServicePort port)
    {
        var routing = port.Service.Routing;
        if (routing is null)
        {
            return [];
        }

        return
        [
            .. routing.ExternalIPs.Where(a => a.AddressFamily == port.ClusterIP.AddressFamily).Select(a => (a, "external IP")),
            .. routing.LoadBalancerIPs.Where(a => a.AddressFamily == port.ClusterIP.AddressFamily).Select(a => (a, "loadbalancer IP")),
        ];
    }

    private static string FullMask(ServicePort port) =>
        port.ClusterIP.AddressFamily == AddressFamily.InterNetworkV6 ? "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" : "255.255.255.255";

    /// <summary>A comment argument, quoted when it has spaces (as kube-proxy writes them).</summary>
    private static string Comment(string text) => text.Contains(' ', StringComparison.Ordinal) ? $"\"{text}\"" : text;

    private static string Host(IPAddress address) => address.AddressFamily == AddressFamily.InterNetworkV6 ? $"{address}/128" : $"{address}/32";

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>One table of the restore input: chains in declaration order, then rules in order.</summary>
    private sealed class Table(string name, IEnumerable<string> topLevel)
    {
        private readonly List<string> _chains = [.. topLevel];
        private readonly List<string> _rules = [];

        public void Declare(string chain)
        {
            if (!_chains.Contains(chain))
            {
                _chains.Add(chain);
            }
        }

        public void Rule(string chain, string rule) => _rules.Add($"-A {chain} {rule}");

        public override string ToString()
        {
            var text = new StringBuilder();
            text.Append('*').Append(name).Append('\n');
            foreach (var chain in _chains)
            {
                text.Append(':').Append(chain).Append(" - [0:0]\n");
            }

            foreach (var rule in _rules)
            {
                text.Append(rule).Append('\n');
            }

            return text.Append("COMMIT\n").ToString();
        }
    }
}
