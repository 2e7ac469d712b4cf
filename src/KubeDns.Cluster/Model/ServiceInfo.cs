using System.Collections.Immutable;
using System.Net;

namespace KubeDns.Cluster.Model;

/// <summary>A Service, stripped at ingest to the fields DNS and the rule generator read.</summary>
public sealed record ServiceInfo(
    string Namespace,
    string Name,
    ServiceKind Kind,
    EquatableArray<IPAddress> ClusterIPs,
    string? ExternalName,
    EquatableArray<ServicePortInfo> Ports,
    ImmutableSortedDictionary<string, string>? Selector,
    bool PublishNotReadyAddresses,
    ServiceRouting? Routing = null)
{
    public ObjectKey Key => new(Namespace, Name);

    /// <summary>Headless: <c>clusterIP: None</c>; DNS then answers with the endpoint addresses.</summary>
    public bool IsHeadless => Kind != ServiceKind.ExternalName && ClusterIPs.Count == 0;

    public bool Equals(ServiceInfo? other) =>
        other is not null
        && Namespace == other.Namespace && Name == other.Name && Kind == other.Kind
        && ClusterIPs == other.ClusterIPs && ExternalName == other.ExternalName && Ports == other.Ports
        && PublishNotReadyAddresses == other.PublishNotReadyAddresses
        && SelectorEquals(Selector, other.Selector)
        && Equals(Routing, other.Routing);

    public override int GetHashCode() => HashCode.Combine(Namespace, Name, Kind, ClusterIPs);

    private static bool SelectorEquals(ImmutableSortedDictionary<string, string>? a, ImmutableSortedDictionary<string, string>? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        return a.Count == b.Count && a.All(pair => b.TryGetValue(pair.Key, out var value) && value == pair.Value);
    }
}

/// <summary>
/// What only the rule generator reads: session affinity (<paramref name="AffinityTimeoutSeconds"/> for
/// <c>ClientIP</c>, 0 for none), external IPs, load-balancer ingress IPs, <c>loadBalancerSourceRanges</c> (CIDRs
/// in canonical form), and the traffic policies (<c>Local</c> keeps traffic on the node that received it).
/// </summary>
public sealed record ServiceRouting(
    int AffinityTimeoutSeconds,
    EquatableArray<IPAddress> ExternalIPs,
    EquatableArray<IPAddress> LoadBalancerIPs,
    EquatableArray<string> SourceRanges = default,
    bool ExternalPolicyLocal = false,
    bool InternalPolicyLocal = false,
    int HealthCheckNodePort = 0)
{
    /// <summary>kube-proxy's default ClientIP affinity timeout (3 hours).</summary>
    public const int DefaultAffinityTimeout = 10_800;
}

public enum ServiceKind
{
    ClusterIP,
    NodePort,
    LoadBalancer,
    ExternalName,
}

/// <summary>
/// One service port; <see cref="Protocol"/> is upper case as in the API (TCP, UDP, SCTP). The target is either
/// a number (<see cref="TargetPort"/>; the API defaults it to <see cref="Port"/>) or the name of a container
/// port (<see cref="TargetPortName"/>, resolved per pod).
/// </summary>
public sealed record ServicePortInfo(string? Name, string Protocol, int Port, int NodePort, int TargetPort = 0, string? TargetPortName = null)
{
    /// <summary>The numeric target, the service port when none was given.</summary>
    public int EffectiveTargetPort => TargetPortName is null && TargetPort == 0 ? Port : TargetPort;
}
