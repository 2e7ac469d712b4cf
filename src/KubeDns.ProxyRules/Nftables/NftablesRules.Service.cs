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

        /// <summary>The elements that send traffic for the port's addresses to its chains; written on every sync.</summary>
        public void WriteElements(NftScript script)
        {
            var port = Number(_port.Port.Port);
            script.Element(ClusterIPs, _port.ClusterIP.ToString());
            if (_hasInternal)
            {
                script.Element(ServiceIPs, $"{_port.ClusterIP} . {Proto} . {port}", value: $"goto {InternalChain}");
            }
            else
            {
                script.Element(NoEndpointServices, $"{_port.ClusterIP} . {Proto} . {port}", _port.Name, NoEndpointVerdict);
            }

            foreach (var address in _port.ExternalIPs)
            {
                if (_hasEndpoints)
                {
                    script.Element(ServiceIPs, $"{address} . {Proto} . {port}", value: $"goto {_ext}");
                }

                if (!_hasExternal)
                {
                    script.Element(NoEndpointServices, $"{address} . {Proto} . {port}", _port.Name, NoEndpointVerdict);
                }
            }

            foreach (var address in _port.LoadBalancerIPs)
            {
                if (_hasEndpoints)
                {
                    script.Element(ServiceIPs, $"{address} . {Proto} . {port}", value: $"goto {_ext}");
                }

                if (_usesFirewall)
                {
                    script.Element(FirewallIPs, $"{address} . {Proto} . {port}", value: $"goto {_fw}");
                }
            }

            if (!_hasExternal)
            {
                foreach (var address in _port.LoadBalancerIPs)
                {
                    script.Element(NoEndpointServices, $"{address} . {Proto} . {port}", _port.Name, NoEndpointVerdict);
                }
            }

            if (_port.Port.NodePort > 0)
            {
                // Node ports are not subject to loadBalancerSourceRanges (kube-proxy's behaviour, kept).
                if (_hasEndpoints)
                {
                    script.Element(ServiceNodePorts, $"{Proto} . {Number(_port.Port.NodePort)}", value: $"goto {_ext}");
                }

                if (!_hasExternal)
                {
                    script.Element(NoEndpointNodePorts, $"{Proto} . {Number(_port.Port.NodePort)}", _port.Name, NoEndpointVerdict);
                }
            }
        }

        /// <summary>The port's chains and affinity sets, each created if missing and emptied, then filled; returns the chain count.</summary>
        public int WriteChains(NftScript script)
        {
            // Chains first: a rule or a map element may only name a chain that exists.
            var chains = Chains().ToList();
            foreach (var chain in chains)
            {
                script.EnsureChain(chain);
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

            foreach (var endpoint in _reachable)
            {
                var chain = NftNames.Endpoint(_port, endpoint);

                // Hairpin: a pod reaching itself through the service must see the reply come from the service.
                script.Rule(chain, $"{_ip} saddr {endpoint.Address} jump {MasqueradeChain}");
                if (_port.AffinitySeconds > 0)
                {
                    script.Rule(chain, $"update @{NftNames.Affinity(_port, endpoint)} {{ {_ip} saddr }}");
                }

                script.Rule(chain, $"meta l4proto {Proto} dnat to {endpoint.Text}");
            }

            return chains.Count;
        }

        private IEnumerable<string> Chains()
        {
            foreach (var endpoint in _reachable)
            {
                yield return NftNames.Endpoint(_port, endpoint);
            }

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
        /// writeServiceToEndpointRules: clients with affinity go back to their endpoint; the rest pick one by a
        /// random number, endpoint i for value i (endpoints in sorted order).
        /// </summary>
        private void WriteEndpointChoice(NftScript script, string chain, IReadOnlyList<Endpoint> endpoints)
        {
            if (_port.AffinitySeconds > 0)
            {
                foreach (var endpoint in endpoints)
                {
                    script.Rule(chain, $"{_ip} saddr @{NftNames.Affinity(_port, endpoint)} goto {NftNames.Endpoint(_port, endpoint)}");
                }
            }

            var choices = endpoints.Select((endpoint, i) => $"{Number(i)} : goto {NftNames.Endpoint(_port, endpoint)}");
            script.Rule(chain, $"numgen random mod {Number(endpoints.Count)} vmap {{ {string.Join(" , ", choices)} }}");
        }
    }
}
