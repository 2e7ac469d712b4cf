using System.Globalization;
using System.Net;
using KubeDns.ProxyRules.Model;

namespace KubeDns.ProxyRules.Nftables;

/// <summary>The objects of one service port (syncProxyRules' loop body).</summary>
internal sealed partial class NftablesRules
{
    private sealed class ServiceObjects
    {
        private readonly ServicePort _port;
        private readonly RuleSettings _settings;
        private readonly string _ip;
        private readonly string _svc;
        private readonly string _svl;
        private readonly string _ext;
        private readonly string _fw;
        private readonly bool _hasEndpoints;
        private readonly bool _hasInternal;
        private readonly bool _hasExternal;
        private readonly bool _usesClusterChain;
        private readonly bool _usesLocalChain;
        private readonly bool _usesExternalChain;
        private readonly bool _usesFirewall;
        private readonly IReadOnlyList<Endpoint> _reachable;

        public ServiceObjects(ServicePort port, RuleSettings settings)
        {
            _port = port;
            _settings = settings;
            _ip = settings.IsIPv6 ? "ip6" : "ip";
            _svc = NftNames.Service(port);
            _svl = NftNames.Local(port);
            _ext = NftNames.External(port);
            _fw = NftNames.Firewall(port);
            _hasEndpoints = port.HasAnyEndpoints;
            _hasInternal = port.HasInternalEndpoints;
            _hasExternal = port.HasExternalEndpoints;
            _usesClusterChain = port.WritesClusterChain;
            _usesLocalChain = port.WritesLocalChain;
            _usesExternalChain = port.WritesExternalChain;

            // Unlike iptables mode, the firewall stands in filter prerouting before DNAT, so it applies (and its
            // chain exists) whether or not there are endpoints.
            _usesFirewall = port.LoadBalancerIPs.Count > 0 && port.SourceRanges.Count > 0;
            _reachable = port.ReachableEndpoints;
        }

        private string InternalChain => _port.InternalPolicyLocal ? _svl : _svc;

        private string ExternalPolicyChain => _port.ExternalPolicyLocal ? _svl : _svc;

        /// <summary>Without endpoints anywhere the connection is refused at once; a Local policy without local ones drops.</summary>
        private string NoEndpointVerdict => _hasEndpoints ? "drop" : $"goto {RejectChain}";

        private string Proto => _port.Protocol;

        private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

        /// <summary>Every chain and affinity set this port owns (what exists once its chains are written).</summary>
        public void AddNames(HashSet<string> names)
        {
            foreach (var chain in Chains())
            {
                names.Add(chain);
            }

            if (_port.AffinitySeconds > 0)
            {
                foreach (var endpoint in _reachable)
                {
                    names.Add(NftNames.Affinity(_port, endpoint));
                }
            }
        }

        /// <summary>
        /// The elements that send traffic for the port's addresses to its chains, and the hairpin pairs of its
        /// endpoints; the ledger decides which of them a sync writes.
        /// </summary>
        public void AddElements(List<NftElement> elements)
        {
            var port = Number(_port.Port.Port);
            elements.Add(new(ClusterIPs, _port.ClusterIP.ToString()));
            if (_hasInternal)
            {
                elements.Add(new(ServiceIPs, $"{_port.ClusterIP} . {Proto} . {port}", Value: $"goto {InternalChain}"));
            }
            else
            {
                elements.Add(new(NoEndpointServices, $"{_port.ClusterIP} . {Proto} . {port}", _port.Name, NoEndpointVerdict));
            }

            foreach (var address in _port.ExternalIPs)
            {
                if (_hasEndpoints)
                {
                    elements.Add(new(ServiceIPs, $"{address} . {Proto} . {port}", Value: $"goto {_ext}"));
                }

                if (!_hasExternal)
                {
                    elements.Add(new(NoEndpointServices, $"{address} . {Proto} . {port}", _port.Name, NoEndpointVerdict));
                }
            }

            foreach (var address in _port.LoadBalancerIPs)
            {
                if (_hasEndpoints)
                {
                    elements.Add(new(ServiceIPs, $"{address} . {Proto} . {port}", Value: $"goto {_ext}"));
                }

                if (_usesFirewall)
                {
                    elements.Add(new(FirewallIPs, $"{address} . {Proto} . {port}", Value: $"goto {_fw}"));
                }
            }

            if (!_hasExternal)
            {
                foreach (var address in _port.LoadBalancerIPs)
                {
                    elements.Add(new(NoEndpointServices, $"{address} . {Proto} . {port}", _port.Name, NoEndpointVerdict));
                }
            }

            if (_port.Port.NodePort > 0)
            {
                // Node ports are not subject to loadBalancerSourceRanges (kube-proxy's behaviour, kept).
                if (_hasEndpoints)
                {
                    elements.Add(new(ServiceNodePorts, $"{Proto} . {Number(_port.Port.NodePort)}", Value: $"goto {_ext}"));
                }

                if (!_hasExternal)
                {
                    elements.Add(new(NoEndpointNodePorts, $"{Proto} . {Number(_port.Port.NodePort)}", _port.Name, NoEndpointVerdict));
                }
            }

            // Hairpin: a pod reaching itself through the service must see the reply come from the service, so
            // a packet whose source is the endpoint it was sent to is masqueraded (kube-proxy matches this in
            // each endpoint's chain; one set holds it here, see WriteEndpointChoice).
            foreach (var endpoint in _reachable)
            {
                elements.Add(new(HairpinEndpoints, $"{endpoint.Address} . {endpoint.Address}"));
            }
        }

        /// <summary>
        /// The port's chains and affinity sets, each created if missing and emptied (when <paramref name="existing"/>
        /// says it may hold rules), then filled; returns the chain count.
        /// </summary>
        public int WriteChains(NftScript script, IReadOnlySet<string> existing)
        {
            // Chains first: a rule or a map element may only name a chain that exists.
            var chains = Chains().ToList();
            foreach (var chain in chains)
            {
                script.EnsureChain(chain, mayExist: existing.Contains(chain));
            }

            if (_hasInternal)
            {
                if (_settings.MasqueradeAll)
                {
                    script.Rule(InternalChain, $"{_ip} daddr {_port.ClusterIP} jump {MasqueradeChain}");
                }
                else if (_settings.ClusterCidr is { } cidr)
                {
                    // Off-cluster traffic to the cluster IP (a static route to a node) may leave this node: masquerade it.
                    script.Rule(InternalChain, $"{_ip} daddr {_port.ClusterIP} {_ip} saddr != {cidr} jump {MasqueradeChain}");
                }
            }

            if (_usesExternalChain)
            {
                WriteExternal(script);
            }

            if (_usesFirewall)
            {
                WriteFirewall(script);
            }

            if (_port.AffinitySeconds > 0)
            {
                // Added, never flushed: the client-to-endpoint memory survives rewrites (an existing set takes the new timeout).
                foreach (var endpoint in _reachable)
                {
                    script.AddContainer("set", NftNames.Affinity(_port, endpoint),
                        $"type {(_settings.IsIPv6 ? "ipv6_addr" : "ipv4_addr")} ; flags dynamic,timeout ; timeout {Number(_port.AffinitySeconds)}s");
                }
            }

            if (_usesClusterChain)
            {
                WriteEndpointChoice(script, _svc, _port.ClusterEndpoints);
            }

            if (_usesLocalChain)
            {
                WriteEndpointChoice(script, _svl, _port.LocalEndpoints);
            }

            return chains.Count;
        }

        private IEnumerable<string> Chains()
        {
            if (_usesClusterChain)
            {
                yield return _svc;
            }

            if (_usesLocalChain)
            {
                yield return _svl;
            }

            if (_usesExternalChain)
            {
                yield return _ext;
            }

            if (_usesFirewall)
            {
                yield return _fw;
            }
        }

        private void WriteExternal(NftScript script)
        {
            if (!_port.ExternalPolicyLocal)
            {
                // Endpoints may be on other nodes: masquerade so that replies come back through this one.
                script.Rule(_ext, $"jump {MasqueradeChain}");
            }
            else
            {
                // Pods and the node itself reach external IPs through the cluster-wide chain (as if via the LB).
                if (_settings.ClusterCidr is { } cidr)
                {
                    script.Rule(_ext, $"{_ip} saddr {cidr} goto {_svc}", "short-circuit pod traffic");
                }

                script.Rule(_ext, $"fib saddr type local jump {MasqueradeChain}", "masquerade local traffic");
                script.Rule(_ext, $"fib saddr type local goto {_svc}", "short-circuit local traffic");
            }

            if (_hasExternal)
            {
                script.Rule(_ext, $"goto {ExternalPolicyChain}");
            }
        }

        /// <summary>
        /// Drops what no source range allows; what is not dropped returns to firewall-check and goes on to DNAT.
        /// A VIP routed locally loops back with itself as source: allowed when the node may use the LB.
        /// </summary>
        private void WriteFirewall(NftScript script)
        {
            var sources = new List<string>(_port.SourceRanges);
            if (_settings.NodeAddresses.FirstOrDefault() is { } nodeIP && _port.SourceRanges.Any(r => IPNetwork.Parse(r).Contains(nodeIP)))
            {
                sources.AddRange(_port.LoadBalancerIPs.Select(a => a.ToString()));
            }

            script.Rule(_fw, $"{_ip} saddr != {{ {string.Join(" , ", sources)} }} drop");
        }

        /// <summary>
        /// writeServiceToEndpointRules, without kube-proxy's per-endpoint chains and anonymous vmaps: clients with
        /// affinity go back to their endpoint; the rest pick endpoint i of n with probability 1/(n - i) among
        /// those left (iptables mode's statistic rules; uniform overall), the last one unconditionally.
        /// Measured with nft 1.0.6 on kernel 6.18 at 10,000 services / 100,000 endpoints, kube-proxy's layout took
        /// 145-168 s to load: the kernel walks the whole transaction for every anonymous set a rule binds
        /// (__nft_set_trans_bind, 71% of the time), so one vmap per service is quadratic; and every later nft
        /// run (even a one-element change) dumps every chain, in time quadratic in the chain count
        /// (nf_tables_dump_chains, 2.7 s with 110,000 chains). Rules that DNAT directly load in linear time and
        /// leave one chain per service. What the endpoint chain also did, masquerading hairpin traffic, is the
        /// <see cref="HairpinEndpoints"/> set's job.
        /// </summary>
        private void WriteEndpointChoice(NftScript script, string chain, IReadOnlyList<Endpoint> endpoints)
        {
            var protocol = $"meta l4proto {Proto}";
            if (_port.AffinitySeconds > 0)
            {
                foreach (var endpoint in endpoints)
                {
                    // Matched again, the client's entry is renewed (kube-proxy's endpoint chain updated it on every pass).
                    script.Rule(chain, $"{_ip} saddr @{NftNames.Affinity(_port, endpoint)} {protocol} {Dnat(endpoint)}");
                }
            }

            for (var i = 0; i < endpoints.Count; i++)
            {
                // nft prints "numgen random mod 3 0" for "== 0": written as it lists, so a listing reads the same.
                var pick = i < endpoints.Count - 1 ? $"numgen random mod {Number(endpoints.Count - i)} 0 " : "";
                script.Rule(chain, $"{protocol} {pick}{Dnat(endpoints[i])}");
            }
        }

        /// <summary>DNAT to <paramref name="endpoint"/>, remembering the client first under ClientIP affinity.</summary>
        private string Dnat(Endpoint endpoint) => _port.AffinitySeconds > 0
            ? $"update @{NftNames.Affinity(_port, endpoint)} {{ {_ip} saddr }} dnat to {endpoint.Text}"
            : $"dnat to {endpoint.Text}";
    }
}
