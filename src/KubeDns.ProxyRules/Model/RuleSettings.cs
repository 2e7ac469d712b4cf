using System.Net;
using System.Net.Sockets;

namespace KubeDns.ProxyRules.Model;

/// <summary>
/// What changes the rules besides the Services and EndpointSlices, as kube-proxy's flags do: the IP family
/// (one rule set per family), the cluster CIDR (traffic from outside it to a cluster IP is masqueraded),
/// <c>--masquerade-all</c>, the node's name (which endpoints are local for the <c>Local</c> traffic policies)
/// and the node's IPs (the addresses node ports answer on in nftables mode).
/// </summary>
internal sealed record RuleSettings(
    AddressFamily Family,
    string? ClusterCidr = null,
    bool MasqueradeAll = false,
    string? NodeName = null,
    IReadOnlyList<IPAddress>? NodeIPs = null)
{
    public bool IsIPv6 => Family == AddressFamily.InterNetworkV6;

    /// <summary>The node IPs of this family.</summary>
    public IEnumerable<IPAddress> NodeAddresses => (NodeIPs ?? []).Where(ip => ip.AddressFamily == Family);
}
