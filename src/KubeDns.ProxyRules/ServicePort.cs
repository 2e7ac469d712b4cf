using System.Globalization;
using System.Net;
using System.Net.Sockets;
using KubeDns.Cluster.Model;

namespace KubeDns.ProxyRules;

/// <summary>One service port of one address family, with the endpoints traffic may go to.</summary>
internal sealed record ServicePort(
    ServiceInfo Service,
    ServicePortInfo Port,
    IPAddress ClusterIP,
    IReadOnlyList<string> Endpoints)
{
    /// <summary><c>ns/svc:port</c> (no <c>:port</c> for an unnamed port), kube-proxy's ServicePortName.</summary>
    public string Name => $"{Service.Namespace}/{Service.Name}" + (string.IsNullOrEmpty(Port.Name) ? "" : ":" + Port.Name);

    /// <summary>Lower case, as in chain hashes and <c>-p</c>.</summary>
    public string Protocol => Port.Protocol.ToLowerInvariant();

    /// <summary>
    /// The service ports of <paramref name="family"/> with their usable endpoints: the ready ones; when none is
    /// ready, the serving and terminating ones (KEP-1669). Endpoints as <c>ip:port</c> (IPv6 <c>[ip]:port</c>),
    /// sorted as strings like kube-proxy's.
    /// </summary>
    public static IReadOnlyList<ServicePort> From(ServiceInfo service, IEnumerable<EndpointSliceInfo> slices, AddressFamily family)
    {
        var result = new List<ServicePort>();
        if (service.Kind == ServiceKind.ExternalName)
        {
            return result;
        }

        var clusterIP = service.ClusterIPs.FirstOrDefault(ip => ip.AddressFamily == family);
        if (clusterIP is null)
        {
            return result;
        }

        var ofService = slices.Where(s => s.ServiceKey == service.Key).ToList();
        foreach (var port in service.Ports)
        {
            var candidates = ofService
                .SelectMany(slice => slice.Endpoints.Select(endpoint => (Endpoint: endpoint, Port: slice.Ports.FirstOrDefault(p => p.Name == port.Name && p.Protocol == port.Protocol))))
                .Where(e => e.Port is not null)
                .SelectMany(e => e.Endpoint.Addresses.Where(a => a.AddressFamily == family).Select(a => (e.Endpoint, Address: a, e.Port!.Port)))
                .ToList();
            var ready = candidates.Where(c => c.Endpoint.Ready).ToList();
            var usable = ready.Count > 0 ? ready : candidates.Where(c => c.Endpoint.Serving && c.Endpoint.Terminating).ToList();
            var endpoints = usable
                .Select(c => family == AddressFamily.InterNetworkV6 ? $"[{c.Address}]:{c.Port.ToString(CultureInfo.InvariantCulture)}" : $"{c.Address}:{c.Port.ToString(CultureInfo.InvariantCulture)}")
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal)
                .ToList();
            result.Add(new ServicePort(service, port, clusterIP, endpoints));
        }

        return result;
    }
}
