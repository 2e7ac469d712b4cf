using System.Collections.Immutable;
using System.Net;
using KubeDns.Cluster.Model;

namespace KubeDns.Cluster.Endpoints;

/// <summary>
/// Derives a service's endpoints from pods the way the Kubernetes endpoints controller does, for sources with
/// no controller behind them (a manifest folder). A real cluster's EndpointSlices always win: a service that
/// has any slice labelled with its name gets nothing derived.
/// </summary>
internal static class EndpointDerivation
{
    /// <summary>Derived slices are named <c>&lt;service&gt;-derived</c>.</summary>
    public const string NameSuffix = "-derived";

    public static IReadOnlyList<EndpointSliceInfo> Derive(
        IEnumerable<ServiceInfo> services,
        IEnumerable<PodInfo> pods,
        IEnumerable<EndpointSliceInfo> slices)
    {
        var withSlices = slices.Select(slice => slice.ServiceKey).OfType<ObjectKey>().ToHashSet();
        var podsByNamespace = pods
            .GroupBy(pod => pod.Namespace, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.OrderBy(pod => pod.Name, StringComparer.Ordinal).ToList(), StringComparer.Ordinal);

        var derived = new List<EndpointSliceInfo>();
        foreach (var service in services)
        {
            if (ShouldDerive(service) && !withSlices.Contains(service.Key))
            {
                derived.Add(DeriveFor(service, podsByNamespace.GetValueOrDefault(service.Namespace) ?? []));
            }
        }

        return derived;
    }

    /// <summary>ExternalName services and services without a selector never get endpoints from a controller.</summary>
    public static bool ShouldDerive(ServiceInfo service) =>
        service.Kind != ServiceKind.ExternalName && service.Selector is { Count: > 0 };

    /// <summary>
    /// One slice holding every endpoint (the controller splits by address family; DNS does not care). A service
    /// that selects no pods still gets an empty slice, like the controller's placeholder.
    /// </summary>
    public static EndpointSliceInfo DeriveFor(ServiceInfo service, IEnumerable<PodInfo> pods)
    {
        var endpoints = ImmutableArray.CreateBuilder<EndpointInfo>();
        foreach (var pod in pods)
        {
            if (pod.Namespace != service.Namespace || !pod.Running || pod.Terminating || !Selects(service, pod))
            {
                continue;
            }

            var addresses = AddressesFor(service, pod);
            if (addresses.Length == 0)
            {
                continue;
            }

            endpoints.Add(new EndpointInfo(
                addresses,
                Ready: service.PublishNotReadyAddresses || pod.Ready,
                Serving: pod.Ready,
                Terminating: false,
                // The controller names an endpoint only when the pod asks to be part of this service's subdomain.
                Hostname: pod.Subdomain == service.Name ? pod.Hostname : null,
                pod.NodeName,
                pod.Name));
        }

        // ServicePortInfo carries no targetPort, so the endpoint port is the service port; right whenever
        // targetPort equals port (its default).
        var ports = service.Ports.Select(port => new EndpointPortInfo(port.Name, port.Protocol, port.Port)).ToImmutableArray();
        return new EndpointSliceInfo(service.Namespace, service.Name + NameSuffix, service.Name, ports, endpoints.ToImmutable());
    }

    /// <summary>A selector matches a pod that carries every one of its labels with the same value.</summary>
    public static bool Selects(ServiceInfo service, PodInfo pod)
    {
        if (service.Selector is not { Count: > 0 } selector)
        {
            return false;
        }

        foreach (var (key, value) in selector)
        {
            if (!pod.Labels.TryGetValue(key, out var podValue) || podValue != value)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The pod's IPs in the service's address families (from its cluster IPs). A headless service gives no
    /// families here, so every IP counts.
    /// </summary>
    private static ImmutableArray<IPAddress> AddressesFor(ServiceInfo service, PodInfo pod)
    {
        if (service.ClusterIPs.Count == 0)
        {
            return pod.IPs.Items;
        }

        return [.. pod.IPs.Where(ip => service.ClusterIPs.Any(clusterIP => clusterIP.AddressFamily == ip.AddressFamily))];
    }
}
