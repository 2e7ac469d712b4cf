using System.Collections.Immutable;
using System.Globalization;
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
                derived.AddRange(DeriveFor(service, podsByNamespace.GetValueOrDefault(service.Namespace) ?? []));
            }
        }

        return derived;
    }

    /// <summary>ExternalName services and services without a selector never get endpoints from a controller.</summary>
    public static bool ShouldDerive(ServiceInfo service) =>
        service.Kind != ServiceKind.ExternalName && service.Selector is { Count: > 0 };

    /// <summary>
    /// Slices holding every endpoint (the controller also splits by address family; DNS does not care). Pods
    /// whose ports resolve alike share a slice: a named targetPort is looked up in each pod's container ports,
    /// and a pod without that port has no endpoint for it, as with the controller. The first slice is
    /// <c>&lt;service&gt;-derived</c>, others <c>-derived-2</c>, ... A service that selects no pods still gets
    /// an empty slice, like the controller's placeholder.
    /// </summary>
    public static IReadOnlyList<EndpointSliceInfo> DeriveFor(ServiceInfo service, IEnumerable<PodInfo> pods)
    {
        var groups = new List<(ImmutableArray<EndpointPortInfo> Ports, ImmutableArray<EndpointInfo>.Builder Endpoints)>();
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

            var ports = PortsFor(service, pod);
            var group = groups.FindIndex(g => g.Ports.AsSpan().SequenceEqual(ports.AsSpan()));
            if (group < 0)
            {
                groups.Add((ports, ImmutableArray.CreateBuilder<EndpointInfo>()));
                group = groups.Count - 1;
            }

            groups[group].Endpoints.Add(new EndpointInfo(
                addresses,
                Ready: service.PublishNotReadyAddresses || pod.Ready,
                Serving: pod.Ready,
                Terminating: false,
                // The controller names an endpoint only when the pod asks to be part of this service's subdomain.
                Hostname: pod.Subdomain == service.Name ? pod.Hostname : null,
                pod.NodeName,
                pod.Name));
        }

        if (groups.Count == 0)
        {
            groups.Add((PortsFor(service, pod: null), ImmutableArray.CreateBuilder<EndpointInfo>()));
        }

        return [.. groups.Select((g, i) => new EndpointSliceInfo(
            service.Namespace, service.Name + NameSuffix + (i == 0 ? string.Empty : "-" + (i + 1).ToString(CultureInfo.InvariantCulture)),
            service.Name, g.Ports, g.Endpoints.ToImmutable()))];
    }

    /// <summary>The endpoint ports of one pod: numeric targets as given, named ones from its container ports.</summary>
    private static ImmutableArray<EndpointPortInfo> PortsFor(ServiceInfo service, PodInfo? pod)
    {
        var ports = ImmutableArray.CreateBuilder<EndpointPortInfo>();
        foreach (var port in service.Ports)
        {
            if (port.TargetPortName is null)
            {
                ports.Add(new EndpointPortInfo(port.Name, port.Protocol, port.EffectiveTargetPort));
            }
            else if (pod?.ContainerPorts.FirstOrDefault(c => c.Name == port.TargetPortName && c.Protocol == port.Protocol) is { } container)
            {
                ports.Add(new EndpointPortInfo(port.Name, port.Protocol, container.Port));
            }
        }

        return ports.ToImmutable();
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
