using System.Globalization;
using KubeDns.ProxyRules.Model;

namespace KubeDns.ProxyRules.Nftables;

/// <summary>
/// kube-proxy's nftables object names (pkg/proxy/nftables, servicePortChainNameBase,
/// servicePortEndpointChainNameBase, hashAndTruncate): unlike iptables mode, the readable base
/// <c>ns/svc/proto/port</c> stays in the name, behind an 8-character hash of it, so that <c>nft list</c> output
/// can be read; the hash keeps names unique once a long base is truncated.
/// </summary>
internal static class NftNames
{
    /// <summary>knftables.NameLengthMax (256) less 16 for the longest prefix.</summary>
    private const int BaseLengthMax = 240;

    private const string AffinityPrefix = "affinity-";

    /// <summary>The chain for the Cluster traffic policy (all usable endpoints).</summary>
    public static string Service(ServicePort port) => "service-" + ServiceBase(port);

    /// <summary>The chain for a Local traffic policy (endpoints on this node).</summary>
    public static string Local(ServicePort port) => "local-" + ServiceBase(port);

    public static string External(ServicePort port) => "external-" + ServiceBase(port);

    /// <summary>The chain that drops what <c>loadBalancerSourceRanges</c> does not allow.</summary>
    public static string Firewall(ServicePort port) => "firewall-" + ServiceBase(port);

    /// <summary>
    /// The set of clients stuck to <paramref name="endpoint"/> (ClientIP affinity), named as kube-proxy names it
    /// (the base of its endpoint chain, which our layout does not have).
    /// </summary>
    public static string Affinity(ServicePort port, Endpoint endpoint) => AffinityPrefix + EndpointBase(port, endpoint);

    /// <summary>isServiceChainName: fixed chains have no <c>/</c>; every per-service one does.</summary>
    public static bool IsServiceChain(string name) => name.Contains('/', StringComparison.Ordinal);

    public static bool IsAffinitySet(string name) => name.StartsWith(AffinityPrefix, StringComparison.Ordinal);

    /// <summary><c>HASH-ns/svc/proto/port</c>; an unnamed port leaves the last part empty.</summary>
    public static string ServiceBase(string ns, string name, string protocol, string portName) =>
        HashAndTruncate($"{ns}/{name}/{protocol}/{portName}");

    /// <summary>
    /// <c>HASH-ns/svc/proto/port__ip/port</c>: <c>:</c> is not allowed in names, so an IPv6 address's colons
    /// become dots and the port follows a slash.
    /// </summary>
    public static string EndpointBase(string ns, string name, string protocol, string portName, string address, int endpointPort) =>
        HashAndTruncate($"{ns}/{name}/{protocol}/{portName}__{address.Replace(':', '.')}/{endpointPort.ToString(CultureInfo.InvariantCulture)}");

    private static string ServiceBase(ServicePort port) =>
        ServiceBase(port.Service.Namespace, port.Service.Name, port.Protocol, port.Port.Name ?? "");

    private static string EndpointBase(ServicePort port, Endpoint endpoint) =>
        EndpointBase(port.Service.Namespace, port.Service.Name, port.Protocol, port.Port.Name ?? "", endpoint.Address.ToString(), endpoint.Port);

    private static string HashAndTruncate(string name)
    {
        // The 8-character hash is the 16-character one's prefix: remembered with it (every sync names every chain).
        var result = string.Concat(ChainNames.CachedHash(name).AsSpan(0, 8), "-", name);
        return result.Length > BaseLengthMax ? string.Concat(result.AsSpan(0, BaseLengthMax - 3), "...") : result;
    }
}
