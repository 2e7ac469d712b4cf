using System.Net;
using System.Net.Sockets;
using KubeDns.Cluster.Model;

namespace KubeDns.ProxyRules.Model;

/// <summary>
/// One service port of one address family and the endpoints its traffic may go to, categorised as kube-proxy
/// does (pkg/proxy/topology.go, CategorizeEndpoints): <see cref="ClusterEndpoints"/> for the Cluster traffic
/// policy, <see cref="LocalEndpoints"/> (on this node) for the Local ones. Each list holds the ready endpoints,
/// or when there are none, the serving and terminating ones (KEP-1669); not-ready endpoints that are not
/// terminating are never used. Endpoints are sorted by <c>ip:port</c> as strings, like kube-proxy's.
/// </summary>
internal sealed record ServicePort(
    ServiceInfo Service,
    ServicePortInfo Port,
    IPAddress ClusterIP,
    IReadOnlyList<Endpoint> ClusterEndpoints,
    IReadOnlyList<Endpoint> LocalEndpoints,
    bool HasAnyEndpoints)
{
    /// <summary><c>ns/svc:port</c> (no <c>:port</c> for an unnamed port), kube-proxy's ServicePortName.</summary>
    public string Name => $"{Service.Namespace}/{Service.Name}" + (string.IsNullOrEmpty(Port.Name) ? "" : ":" + Port.Name);

    /// <summary>Lower case, as in chain hashes, <c>-p</c> and nft.</summary>
    public string Protocol => Port.Protocol.ToLowerInvariant();

    public AddressFamily Family => ClusterIP.AddressFamily;

    public IReadOnlyList<IPAddress> ExternalIPs => OfFamily(Service.Routing?.ExternalIPs);

    public IReadOnlyList<IPAddress> LoadBalancerIPs => OfFamily(Service.Routing?.LoadBalancerIPs);

    /// <summary><c>loadBalancerSourceRanges</c> of this family; empty means every source may use the LB IPs.</summary>
    public IReadOnlyList<string> SourceRanges =>
        [.. (Service.Routing?.SourceRanges ?? default).Where(r => r.Contains(':', StringComparison.Ordinal) == (Family == AddressFamily.InterNetworkV6))];

    /// <summary>Reachable from outside the cluster network: a node port, external IPs or load-balancer IPs.</summary>
    public bool IsExternallyAccessible => Port.NodePort > 0 || ExternalIPs.Count > 0 || LoadBalancerIPs.Count > 0;

    /// <summary>externalTrafficPolicy Local, which only means something for an externally accessible port.</summary>
    public bool ExternalPolicyLocal => IsExternallyAccessible && (Service.Routing?.ExternalPolicyLocal ?? false);

    public bool InternalPolicyLocal => Service.Routing?.InternalPolicyLocal ?? false;

    /// <summary>Seconds a client sticks to its endpoint (sessionAffinity ClientIP); 0 for no affinity.</summary>
    public int AffinitySeconds => Service.Routing?.AffinityTimeoutSeconds ?? 0;

    /// <summary>Endpoints for traffic to the cluster IP.</summary>
    public IReadOnlyList<Endpoint> InternalEndpoints => InternalPolicyLocal ? LocalEndpoints : ClusterEndpoints;

    /// <summary>Endpoints for traffic to node ports, external IPs and load-balancer IPs.</summary>
    public IReadOnlyList<Endpoint> ExternalEndpoints => ExternalPolicyLocal ? LocalEndpoints : ClusterEndpoints;

    /// <summary>The cluster-wide chain is written when either policy is Cluster (ETP Local short-circuits pod traffic to it too).</summary>
    public bool UsesClusterChain => !InternalPolicyLocal || IsExternallyAccessible;

    public bool UsesLocalChain => InternalPolicyLocal || ExternalPolicyLocal;

    /// <summary>Traffic to the cluster IP has somewhere to go (kube-proxy's hasInternalEndpoints).</summary>
    public bool HasInternalEndpoints => HasAnyEndpoints && InternalEndpoints.Count > 0;

    /// <summary>Traffic to node ports, external and load-balancer IPs has somewhere to go (hasExternalEndpoints).</summary>
    public bool HasExternalEndpoints => HasAnyEndpoints && ExternalEndpoints.Count > 0;

    /// <summary>The cluster-wide chain is written: wanted, and with endpoints to jump to (both modes).</summary>
    public bool WritesClusterChain => UsesClusterChain && ClusterEndpoints.Count > 0;

    /// <summary>The local-endpoints chain is written: wanted, and with endpoints to jump to (both modes).</summary>
    public bool WritesLocalChain => UsesLocalChain && LocalEndpoints.Count > 0;

    /// <summary>The external chain is written: reachable from outside, and some endpoint exists (both modes).</summary>
    public bool WritesExternalChain => HasAnyEndpoints && IsExternallyAccessible;

    /// <summary>Every endpoint either chain may pick: one endpoint chain each, sorted (computed once: every sync names them all).</summary>
    public IReadOnlyList<Endpoint> ReachableEndpoints => field ??=
        [.. (UsesClusterChain ? ClusterEndpoints : []).Concat(UsesLocalChain ? LocalEndpoints : [])
            .DistinctBy(e => e.Text)
            .OrderBy(e => e.Text, StringComparer.Ordinal)];

    /// <summary>Every service port of <paramref name="settings"/>' family, services in namespace/name order.</summary>
    public static IReadOnlyList<ServicePort> All(IEnumerable<ServiceInfo> services, IEnumerable<EndpointSliceInfo> slices, RuleSettings settings) =>
        All(services, slices, settings, (service, ofService) => From(service, ofService, settings));

    /// <summary>
    /// Every service port, each service's taken from <paramref name="portsOf"/> (given the service and its slices),
    /// services in namespace/name order: kube-proxy's order after its tests' sort normalisation.
    /// </summary>
    public static IReadOnlyList<ServicePort> All(
        IEnumerable<ServiceInfo> services,
        IEnumerable<EndpointSliceInfo> slices,
        RuleSettings settings,
        Func<ServiceInfo, IEnumerable<EndpointSliceInfo>, IReadOnlyList<ServicePort>> portsOf)
    {
        var byService = slices.Where(s => s.ServiceKey is not null).ToLookup(s => s.ServiceKey!.Value);
        return [.. services
            .OrderBy(s => s.Namespace, StringComparer.Ordinal).ThenBy(s => s.Name, StringComparer.Ordinal)
            .SelectMany(s => portsOf(s, byService[s.Key]))];
    }

    /// <summary>The service's ports of <paramref name="settings"/>' family (none for ExternalName or headless services).</summary>
    public static IReadOnlyList<ServicePort> From(ServiceInfo service, IEnumerable<EndpointSliceInfo> slices, RuleSettings settings)
    {
        var result = new List<ServicePort>();
        var clusterIP = service.Kind == ServiceKind.ExternalName ? null : service.ClusterIPs.FirstOrDefault(ip => ip.AddressFamily == settings.Family);
        if (clusterIP is null)
        {
            return result;
        }

        var ofService = slices.Where(s => s.ServiceKey == service.Key).ToList();
        foreach (var port in service.Ports)
        {
            // Slices name their ports like the service does; the endpoint's port is the slice port's number.
            var candidates = ofService
                .SelectMany(slice => slice.Ports.Where(p => p.Name == port.Name && p.Protocol == port.Protocol).Take(1)
                    // Only an endpoint's first address counts, as in kube-proxy (the others are reserved by the API).
                    .SelectMany(slicePort => slice.Endpoints.SelectMany(endpoint => endpoint.Addresses.Take(1)
                        .Where(a => a.AddressFamily == settings.Family)
                        .Select(a => (Info: endpoint, Endpoint: new Endpoint(a, slicePort.Port, settings.NodeName is not null && endpoint.NodeName == settings.NodeName))))))
                .DistinctBy(c => c.Endpoint.Text)
                .OrderBy(c => c.Endpoint.Text, StringComparer.Ordinal)
                .ToList();
            var cluster = Usable(candidates, local: false);
            var local = Usable(candidates, local: true);
            var hasAny = candidates.Any(c => c.Info.Ready || (c.Info.Serving && c.Info.Terminating));
            result.Add(new ServicePort(service, port, clusterIP, cluster, local, hasAny));
        }

        return result;
    }

    private static List<Endpoint> Usable(List<(EndpointInfo Info, Endpoint Endpoint)> candidates, bool local)
    {
        var inScope = candidates.Where(c => !local || c.Endpoint.IsLocal).ToList();
        var ready = inScope.Where(c => c.Info.Ready).ToList();
        return [.. (ready.Count > 0 ? ready : inScope.Where(c => c.Info.Serving && c.Info.Terminating)).Select(c => c.Endpoint)];
    }

    private IReadOnlyList<IPAddress> OfFamily(EquatableArray<IPAddress>? addresses) =>
        [.. (addresses ?? default).Where(a => a.AddressFamily == Family)];
}
