using System.Globalization;
using System.Net;
using System.Text;
using KubeDns.Cluster.Model;
using KubeDns.ProxyRules.Model;
using KubeDns.ProxyRules.Sync;

namespace KubeDns.ProxyRules.Iptables;

/// <summary>
/// The <c>iptables-restore --noflush</c> input kube-proxy writes (pkg/proxy/iptables, syncProxyRules), for one
/// IP family: <c>*filter</c> then <c>*nat</c>; the top-level chains and every rule in them written on every
/// sync; a service's own KUBE-SVC/SVL/EXT/FW/SEP chains only in a full sync or when the service changed;
/// chains no longer wanted declared and deleted. Services are written in namespace/name order (kube-proxy's
/// order is its map's; equal after its tests' sort normalisation). <paramref name="layout"/> picks kube-proxy's
/// endpoint chains or none; <paramref name="wholeTableCache"/> is for the nf_tables back end (<see cref="RestoreTable"/>).
/// </summary>
internal sealed class IptablesRules(RuleSettings settings, bool randomFully = true, IptablesLayout layout = IptablesLayout.KubeProxy, bool wholeTableCache = false) : IRuleWriter
{
    private const string MasqMark = "0x4000";

    /// <summary>Above this many endpoints kube-proxy leaves the comments off endpoint rules (largeClusterEndpointsThreshold).</summary>
    private const int LargeClusterEndpoints = 1000;

    /// <summary>A full sync of <paramref name="ports"/>, as text (what the command line prints).</summary>
    public string Generate(IReadOnlyList<ServicePort> ports) => Write(ports, null, new HashSet<string>()).Text;

    public RuleProgram Write(IReadOnlyList<ServicePort> ports, IReadOnlySet<ObjectKey>? changedServices, IReadOnlySet<string> existingChains, IReadOnlySet<string>? emptiedChains = null)
    {
        var filter = new RestoreTable("filter", ["KUBE-SERVICES", "KUBE-EXTERNAL-SERVICES", "KUBE-FORWARD", "KUBE-NODEPORTS", "KUBE-PROXY-FIREWALL"], wholeTableCache);
        var nat = new RestoreTable("nat", ["KUBE-SERVICES", "KUBE-NODEPORTS", "KUBE-POSTROUTING", "KUBE-MARK-MASQ"], wholeTableCache);
        if (layout == IptablesLayout.Compact)
        {
            // First, before the mark decides: kube-proxy marks a hairpin in the endpoint's chain, which this layout has not.
            nat.Rule("KUBE-POSTROUTING", $"-m comment --comment \"kubernetes service traffic to the pod that sent it\" {HairpinMatch.For(settings.IsIPv6)} -j MARK --or-mark {MasqMark}");
        }

        nat.Rule("KUBE-POSTROUTING", $"-m mark ! --mark {MasqMark}/{MasqMark} -j RETURN");
        nat.Rule("KUBE-POSTROUTING", $"-j MARK --xor-mark {MasqMark}");
        nat.Rule("KUBE-POSTROUTING", "-m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE" + (randomFully ? " --random-fully" : ""));
        nat.Rule("KUBE-MARK-MASQ", $"-j MARK --or-mark {MasqMark}");

        var large = ports.Sum(p => p.ReachableEndpoints.Count) > LargeClusterEndpoints;
        var active = new HashSet<string>(StringComparer.Ordinal);
        var rewritten = 0;
        foreach (var port in ports)
        {
            var writeChains = changedServices is null || changedServices.Contains(port.Service.Key);
            var chains = new ServiceChains(port, settings, large, layout == IptablesLayout.KubeProxy);
            chains.WriteTopLevel(filter, nat);
            if (writeChains)
            {
                rewritten += chains.WriteOwn(nat, active);
            }
            else
            {
                // Unchanged in a partial sync: its chains stay as loaded; only remember that they are wanted.
                active.UnionWith(chains.OwnChains());
            }
        }

        var stale = existingChains.Where(c => !active.Contains(c)).Order(StringComparer.Ordinal).ToList();
        foreach (var chain in stale)
        {
            nat.Delete(chain);
        }

        nat.Rule("KUBE-SERVICES", "-m comment --comment \"kubernetes service nodeports; NOTE: this must be the last rule in this chain\" -m addrtype --dst-type LOCAL"
            + (settings.IsIPv6 ? " ! -d ::1/128" : "") + " -j KUBE-NODEPORTS");
        filter.Rule("KUBE-FORWARD", "-m conntrack --ctstate INVALID -j DROP");
        filter.Rule("KUBE-FORWARD", $"-m comment --comment \"kubernetes forwarding rules\" -m mark --mark {MasqMark}/{MasqMark} -j ACCEPT");
        filter.Rule("KUBE-FORWARD", "-m comment --comment \"kubernetes forwarding conntrack rule\" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT");

        var text = new StringBuilder();
        filter.WriteTo(text);
        nat.WriteTo(text);
        return new RuleProgram(text.ToString(), active, rewritten, stale.Count);
    }

    /// <summary>The rules of one service port (syncProxyRules' loop body).</summary>
    private sealed class ServiceChains
    {
        private readonly ServicePort _port;
        private readonly RuleSettings _settings;
        private readonly bool _large;
        private readonly string _name;
        private readonly string _proto;
        private readonly string _svc;
        private readonly string _svl;
        private readonly string _ext;
        private readonly string _fw;
        private readonly bool _hasEndpoints;
        private readonly bool _hasInternal;
        private readonly bool _hasExternal;
        private readonly bool _usesFirewall;
        private readonly bool _endpointChains;

        public ServiceChains(ServicePort port, RuleSettings settings, bool large, bool endpointChains)
        {
            _endpointChains = endpointChains;
            _port = port;
            _settings = settings;
            _large = large;
            _name = port.Name;
            _proto = port.Protocol;
            _svc = ChainNames.Service(_name, _proto);
            _svl = ChainNames.Local(_name, _proto);
            _ext = ChainNames.External(_name, _proto);
            _fw = ChainNames.Firewall(_name, _proto);
            _hasEndpoints = port.HasAnyEndpoints;
            _hasInternal = port.HasInternalEndpoints;
            _hasExternal = port.HasExternalEndpoints;
            _usesFirewall = _hasEndpoints && port.LoadBalancerIPs.Count > 0 && port.SourceRanges.Count > 0;
        }

        private string InternalChain => _port.InternalPolicyLocal ? _svl : _svc;

        private string ClusterIPMatch => $"-m comment --comment \"{_name} cluster IP\" {Proto} -d {_port.ClusterIP} --dport {Number(_port.Port.Port)}";

        private string Proto => $"-m {_proto} -p {_proto}";

        /// <summary>What goes into KUBE-SERVICES, KUBE-NODEPORTS and the filter table: written on every sync.</summary>
        public void WriteTopLevel(RestoreTable filter, RestoreTable nat)
        {
            // No endpoints anywhere: REJECT (connection refused at once). A Local policy without local endpoints: DROP.
            (string Comment, string Target) noEndpoints = _hasEndpoints ? ($"\"{_name} has no local endpoints\"", "DROP") : ($"\"{_name} has no endpoints\"", "REJECT");
            if (_hasInternal)
            {
                nat.Rule("KUBE-SERVICES", $"{ClusterIPMatch} -j {InternalChain}");
            }
            else
            {
                filter.Rule("KUBE-SERVICES", $"-m comment --comment {noEndpoints.Comment} {Proto} -d {_port.ClusterIP} --dport {Number(_port.Port.Port)} -j {noEndpoints.Target}");
            }

            foreach (var address in _port.ExternalIPs)
            {
                if (_hasEndpoints)
                {
                    nat.Rule("KUBE-SERVICES", $"-m comment --comment \"{_name} external IP\" {Proto} -d {address} --dport {Number(_port.Port.Port)} -j {_ext}");
                }

                if (!_hasExternal)
                {
                    filter.Rule("KUBE-EXTERNAL-SERVICES", $"-m comment --comment {noEndpoints.Comment} {Proto} -d {address} --dport {Number(_port.Port.Port)} -j {noEndpoints.Target}");
                }
            }

            foreach (var address in _port.LoadBalancerIPs)
            {
                if (_hasEndpoints)
                {
                    nat.Rule("KUBE-SERVICES", $"-m comment --comment \"{_name} loadbalancer IP\" {Proto} -d {address} --dport {Number(_port.Port.Port)} -j {(_usesFirewall ? _fw : _ext)}");
                }

                if (_usesFirewall)
                {
                    // What KUBE-FW lets through is DNATed; whatever reaches the filter table with the LB IP still was not.
                    filter.Rule("KUBE-PROXY-FIREWALL", $"-m comment --comment \"{_name} traffic not accepted by {_fw}\" {Proto} -d {address} --dport {Number(_port.Port.Port)} -j DROP");
                }
            }

            if (!_hasExternal)
            {
                foreach (var address in _port.LoadBalancerIPs)
                {
                    filter.Rule("KUBE-EXTERNAL-SERVICES", $"-m comment --comment {noEndpoints.Comment} {Proto} -d {address} --dport {Number(_port.Port.Port)} -j {noEndpoints.Target}");
                }
            }

            if (_port.Port.NodePort > 0)
            {
                if (_hasEndpoints)
                {
                    // Node ports are not subject to loadBalancerSourceRanges (kube-proxy's behaviour, kept).
                    nat.Rule("KUBE-NODEPORTS", $"-m comment --comment {_name} {Proto} --dport {Number(_port.Port.NodePort)} -j {_ext}");
                }

                if (!_hasExternal)
                {
                    filter.Rule("KUBE-EXTERNAL-SERVICES", $"-m comment --comment {noEndpoints.Comment} -m addrtype --dst-type LOCAL {Proto} --dport {Number(_port.Port.NodePort)} -j {noEndpoints.Target}");
                }
            }

            if (_port.ExternalPolicyLocal && _port.Service.Routing?.HealthCheckNodePort is > 0 and var healthCheck)
            {
                filter.Rule("KUBE-NODEPORTS", $"-m comment --comment \"{_name} health check node port\" -m tcp -p tcp --dport {Number(healthCheck)} -j ACCEPT");
            }
        }

        /// <summary>The names of the chains <see cref="WriteOwn"/> writes.</summary>
        public IEnumerable<string> OwnChains()
        {
            if (_port.WritesExternalChain)
            {
                yield return _ext;
            }

            if (_usesFirewall)
            {
                yield return _fw;
            }

            if (_port.WritesClusterChain)
            {
                yield return _svc;
            }

            if (_port.WritesLocalChain)
            {
                yield return _svl;
            }

            if (_endpointChains)
            {
                foreach (var endpoint in _port.ReachableEndpoints)
                {
                    yield return ChainNames.Endpoint(_name, _proto, endpoint.Text);
                }
            }
        }

        /// <summary>The service's own chains, into <paramref name="nat"/>; returns how many were written.</summary>
        public int WriteOwn(RestoreTable nat, HashSet<string> active)
        {
            var before = active.Count;
            if (_hasInternal)
            {
                if (_settings.MasqueradeAll)
                {
                    nat.Rule(InternalChain, $"{ClusterIPMatch} -j KUBE-MARK-MASQ");
                }
                else if (_settings.ClusterCidr is { } cidr)
                {
                    // Off-cluster traffic to the cluster IP (a static route to a node) may leave this node: masquerade it.
                    nat.Rule(InternalChain, $"{ClusterIPMatch} ! -s {cidr} -j KUBE-MARK-MASQ");
                }
            }

            if (_port.WritesExternalChain)
            {
                Declare(nat, active, _ext);
                if (!_port.ExternalPolicyLocal)
                {
                    // Endpoints may be on other nodes: masquerade so that replies come back through this one.
                    nat.Rule(_ext, $"-m comment --comment \"masquerade traffic for {_name} external destinations\" -j KUBE-MARK-MASQ");
                }
                else
                {
                    // Pods and the node itself reach external IPs through the cluster-wide chain (as if via the LB).
                    if (_settings.ClusterCidr is { } cidr)
                    {
                        nat.Rule(_ext, $"-m comment --comment \"pod traffic for {_name} external destinations\" -s {cidr} -j {_svc}");
                    }

                    nat.Rule(_ext, $"-m comment --comment \"masquerade LOCAL traffic for {_name} external destinations\" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ");
                    nat.Rule(_ext, $"-m comment --comment \"route LOCAL traffic for {_name} external destinations\" -m addrtype --src-type LOCAL -j {_svc}");
                }

                if (_hasExternal)
                {
                    nat.Rule(_ext, $"-j {(_port.ExternalPolicyLocal ? _svl : _svc)}");
                }
            }

            if (_usesFirewall)
            {
                Declare(nat, active, _fw);
                var comment = $"-m comment --comment \"{_name} loadbalancer IP\"";
                foreach (var range in _port.SourceRanges)
                {
                    nat.Rule(_fw, $"{comment} -s {range} -j {_ext}");
                }

                // A VIP routed locally loops back with itself as source: allow it when the node may use the LB.
                if (_settings.NodeAddresses.FirstOrDefault() is { } nodeIP && _port.SourceRanges.Any(r => IPNetwork.Parse(r).Contains(nodeIP)))
                {
                    foreach (var address in _port.LoadBalancerIPs)
                    {
                        nat.Rule(_fw, $"{comment} -s {address} -j {_ext}");
                    }
                }

                nat.Rule(_fw, $"-m comment --comment \"other traffic to {_name} will be dropped by KUBE-PROXY-FIREWALL\"");
            }

            if (_port.WritesClusterChain)
            {
                Declare(nat, active, _svc);
                WriteEndpointChoice(nat, _svc, _port.ClusterEndpoints);
            }

            if (_port.WritesLocalChain)
            {
                Declare(nat, active, _svl);
                WriteEndpointChoice(nat, _svl, _port.LocalEndpoints);
            }

            foreach (var endpoint in _endpointChains ? _port.ReachableEndpoints : [])
            {
                var sep = ChainNames.Endpoint(_name, _proto, endpoint.Text);
                Declare(nat, active, sep);
                var comment = _large ? "" : $"-m comment --comment {_name} ";
                nat.Rule(sep, $"{comment}-s {endpoint.Address} -j KUBE-MARK-MASQ");
                var remember = _port.AffinitySeconds > 0 ? $"-m recent --name {sep} --set " : "";
                nat.Rule(sep, $"{comment}{remember}{Proto} -j DNAT --to-destination {endpoint.Text}");
            }

            return active.Count - before;
        }

        /// <summary>
        /// writeServiceToEndpointRules: clients with affinity go back to their endpoint; the rest pick endpoint i
        /// of n with probability 1/(n-i), which is uniform overall. Without endpoint chains each rule DNATs itself,
        /// and the affinity list (named as kube-proxy names the endpoint's chain) is refreshed in the same rule.
        /// </summary>
        private void WriteEndpointChoice(RestoreTable nat, string chain, IReadOnlyList<Endpoint> endpoints)
        {
            if (_port.AffinitySeconds > 0)
            {
                foreach (var endpoint in endpoints)
                {
                    var sep = ChainNames.Endpoint(_name, _proto, endpoint.Text);
                    nat.Rule(chain, $"{Comment(endpoint)}-m recent --name {sep} --rcheck --seconds {Number(_port.AffinitySeconds)} --reap {Target(endpoint)}");
                }
            }

            for (var i = 0; i < endpoints.Count; i++)
            {
                var remaining = endpoints.Count - i;
                var pick = remaining > 1 ? $"-m statistic --mode random --probability {(1.0 / remaining).ToString("F10", CultureInfo.InvariantCulture)} " : "";
                nat.Rule(chain, $"{Comment(endpoints[i])}{pick}{Target(endpoints[i])}");
            }
        }

        /// <summary>Where a chosen connection goes: the endpoint's chain, or (compact) straight to the endpoint.</summary>
        private string Target(Endpoint endpoint)
        {
            var sep = ChainNames.Endpoint(_name, _proto, endpoint.Text);
            if (_endpointChains)
            {
                return $"-j {sep}";
            }

            var remember = _port.AffinitySeconds > 0 ? $"-m recent --name {sep} --set " : "";
            return $"{remember}{Proto} -j DNAT --to-destination {endpoint.Text}";
        }

        private string Comment(Endpoint endpoint) => _large ? "" : $"-m comment --comment \"{_name} -> {endpoint.Text}\" ";

        private static void Declare(RestoreTable nat, HashSet<string> active, string chain)
        {
            if (active.Add(chain))
            {
                nat.Declare(chain);
            }
        }
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
