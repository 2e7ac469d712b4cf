using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using KubeDns.Cluster.Model;
using KubeDns.Cluster.Wire;

namespace KubeDns.Cluster.Ingest;

/// <summary>
/// Turns API objects (their DNS fields, <see cref="Wire"/>; from the API server or from manifest files) into the small immutable records the
/// rest of the system keeps. Nothing else holds a wire object. Invalid content throws
/// <see cref="InvalidObjectException"/> naming the field, so one bad object never poisons the others.
/// </summary>
public static class ObjectStripper
{
    /// <summary>
    /// The API server's EndpointSlice limits (pkg/apis/discovery/validation: maxAddresses, maxPorts,
    /// maxEndpoints): a slice beyond them cannot come from a real cluster, and one from a file or a lying API
    /// server must not cost memory in proportion (an object with 100,000 ports, issue 14). A Service has no such
    /// limit in the API; more ports than a slice may carry could never all have endpoints, so the same bound.
    /// </summary>
    internal const int MaxAddresses = 100;

    internal const int MaxPorts = 20_000;

    internal const int MaxEndpoints = 1_000;

    public static NamespaceInfo Strip(NamespaceObject ns) => new(RequireName(ns.Metadata));

    public static ServiceInfo Strip(ServiceObject service)
    {
        var spec = service.Spec ?? new ServiceSpec();
        var kind = ParseKind(spec.Type);
        var ips = kind == ServiceKind.ExternalName ? [] : ParseClusterIPs(spec);
        var ports = Items(Limited(spec.Ports, "spec.ports", MaxPorts), "spec.ports").Select(StripPort).ToImmutableArray();
        if (kind == ServiceKind.ExternalName && !DnsNames.IsDomainName(spec.ExternalName?.TrimEnd('.')))
        {
            throw new InvalidObjectException($"spec.externalName '{spec.ExternalName}' is not a DNS name (required for type ExternalName)");
        }

        var name = RequireName(service.Metadata);
        if (!DnsNames.IsLabel(name, mustStartWithLetter: true))
        {
            throw new InvalidObjectException($"metadata.name '{name}' is not a valid Service name (a DNS-1035 label)");
        }

        return new ServiceInfo(
            NamespaceOf(service.Metadata),
            name,
            kind,
            ips,
            kind == ServiceKind.ExternalName ? spec.ExternalName!.TrimEnd('.') : null,
            ports,
            spec.Selector is { Count: > 0 } selector ? selector.ToImmutableSortedDictionary(StringComparer.Ordinal) : null,
            spec.PublishNotReadyAddresses ?? false,
            Routing(service));
    }

    /// <summary>The rule generator's fields; null when the service has none of them (the common case: no memory).</summary>
    private static ServiceRouting? Routing(ServiceObject service)
    {
        var spec = service.Spec!;
        var affinity = spec.SessionAffinity == "ClientIP"
            ? spec.SessionAffinityConfig?.ClientIP?.TimeoutSeconds ?? ServiceRouting.DefaultAffinityTimeout
            : 0;
        if (affinity is < 0 or > 86_400)
        {
            throw new InvalidObjectException($"spec.sessionAffinityConfig.clientIP.timeoutSeconds {affinity} is not from 1 to 86400");
        }

        var external = Items(spec.ExternalIPs, "spec.externalIPs").Select(ip => ParseIP(ip, "spec.externalIPs")).ToImmutableArray();
        var loadBalancer = Items(service.Status?.LoadBalancer?.Ingress, "status.loadBalancer.ingress")
            .Where(i => !string.IsNullOrEmpty(i.Ip))
            .Select(i => ParseIP(i.Ip, "status.loadBalancer.ingress[].ip"))
            .ToImmutableArray();
        var sourceRanges = Items(spec.LoadBalancerSourceRanges, "spec.loadBalancerSourceRanges")
            .Select(range => ParseCidr(range.Trim(), "spec.loadBalancerSourceRanges"))
            .ToImmutableArray();
        var externalLocal = ParsePolicy(spec.ExternalTrafficPolicy, "spec.externalTrafficPolicy");
        var internalLocal = ParsePolicy(spec.InternalTrafficPolicy, "spec.internalTrafficPolicy");
        var healthCheck = spec.HealthCheckNodePort is { } port ? ValidPort(port, "spec.healthCheckNodePort") : 0;
        return affinity == 0 && external.IsEmpty && loadBalancer.IsEmpty && sourceRanges.IsEmpty && !externalLocal && !internalLocal
            ? null
            : new ServiceRouting(affinity, external, loadBalancer, sourceRanges, externalLocal, internalLocal, healthCheck);
    }

    /// <summary><c>Local</c> → true; <c>Cluster</c> or unset → false (the API's default).</summary>
    private static bool ParsePolicy(string? policy, string field) => policy switch
    {
        null or "" or "Cluster" => false,
        "Local" => true,
        _ => throw new InvalidObjectException($"{field} '{policy}' is not Cluster or Local"),
    };

    /// <summary>
    /// A CIDR in canonical form, host bits cleared (the API accepts <c>10.0.0.1/8</c>; kube-proxy writes
    /// <c>10.0.0.0/8</c>).
    /// </summary>
    private static string ParseCidr(string text, string field)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0
            || !IPAddress.TryParse(text.AsSpan(0, slash), out var address)
            || !int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix)
            || prefix > (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128))
        {
            throw new InvalidObjectException($"{field}: '{text}' is not a CIDR (address/prefix)");
        }

        var bytes = address.GetAddressBytes();
        for (var bit = prefix; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return $"{new IPAddress(bytes)}/{prefix.ToString(CultureInfo.InvariantCulture)}";
    }

    public static EndpointSliceInfo Strip(EndpointSliceObject slice)
    {
        string? serviceName = null;
        slice.Metadata?.Labels?.TryGetValue("kubernetes.io/service-name", out serviceName);
        var ports = Items(Limited(slice.Ports, "ports", MaxPorts), "ports")
            .Select(p => new EndpointPortInfo(NullIfEmpty(p.Name), ParseProtocol(p.Protocol), ValidPort(p.Port ?? 0, "ports[].port")))
            .ToImmutableArray();
        var endpoints = Items(Limited(slice.Endpoints, "endpoints", MaxEndpoints), "endpoints")
            .Select(e => new EndpointInfo(
                RequiredItems(Limited(e.Addresses, "endpoints[].addresses", MaxAddresses), "endpoints[].addresses").Select(a => ParseIP(a, "endpoints[].addresses")).ToImmutableArray(),
                e.Conditions?.Ready ?? true,
                e.Conditions?.Serving ?? e.Conditions?.Ready ?? true,
                e.Conditions?.Terminating ?? false,
                NullIfEmpty(e.Hostname),
                NodeNameOf(e.NodeName),
                e.TargetRef is { Kind: "Pod" } target ? target.Name : null))
            .ToImmutableArray();
        return new EndpointSliceInfo(NamespaceOf(slice.Metadata), RequireName(slice.Metadata), NullIfEmpty(serviceName), ports, endpoints);
    }

    public static PodInfo Strip(PodObject pod)
    {
        var status = pod.Status;
        var ips = status?.PodIPs is { Count: > 0 } podIPs
            ? Items(podIPs, "status.podIPs").Select(p => ParseIP(p.Ip, "status.podIPs[].ip")).ToImmutableArray()
            : string.IsNullOrEmpty(status?.PodIP) ? [] : [ParseIP(status.PodIP, "status.podIP")];
        var ready = Items(status?.Conditions, "status.conditions").Any(c => c.Type == "Ready" && c.Status == "True");
        return new PodInfo(
            NamespaceOf(pod.Metadata),
            RequireName(pod.Metadata),
            ips,
            (pod.Metadata?.Labels ?? new Dictionary<string, string>()).ToImmutableSortedDictionary(StringComparer.Ordinal),
            status?.Phase == "Running",
            ready,
            pod.Metadata?.DeletionTimestamp is not null,
            NullIfEmpty(pod.Spec?.Hostname),
            NullIfEmpty(pod.Spec?.Subdomain),
            NodeNameOf(pod.Spec?.NodeName),
            ContainerPorts(pod.Spec));
    }

    /// <summary>
    /// Node names are few (one per node) but repeated on every endpoint and pod: one shared string each
    /// (150,000 endpoints held 150,000 copies of ~1,500 names in the scale benchmark).
    /// </summary>
    private static string? NodeNameOf(string? name) => string.IsNullOrEmpty(name) ? null : string.Intern(name);

    /// <summary>Manifests may omit the namespace; kubectl then applies them to <c>default</c>.</summary>
    private static string NamespaceOf(ObjectMeta? metadata)
    {
        var ns = string.IsNullOrEmpty(metadata?.Namespace) ? "default" : metadata.Namespace;
        return DnsNames.IsLabel(ns, mustStartWithLetter: false)
            ? ns
            : throw new InvalidObjectException($"metadata.namespace '{ns}' is not a valid namespace name (a DNS-1123 label)");
    }

    /// <summary>The items of an optional list; a null item (<c>- ~</c> in YAML) is invalid content, not a crash.</summary>
    private static IEnumerable<T> Items<T>(IEnumerable<T>? items, string field) =>
        (items ?? []).Select(item => item ?? throw new InvalidObjectException($"{field} has an empty item"));

    private static IList<T>? Limited<T>(IList<T>? items, string field, int max) =>
        items is { Count: var count } && count > max
            ? throw new InvalidObjectException($"{field} has {count:N0} items, more than the {max:N0} the API server accepts")
            : items;

    private static IEnumerable<T> RequiredItems<T>(IEnumerable<T>? items, string field) =>
        items is null ? throw new InvalidObjectException($"{field} is required") : Items(items, field);

    private static string RequireName(ObjectMeta? metadata) =>
        string.IsNullOrEmpty(metadata?.Name) ? throw new InvalidObjectException("metadata.name is required") : metadata.Name;

    private static ServiceKind ParseKind(string? type) => type switch
    {
        null or "" or "ClusterIP" => ServiceKind.ClusterIP,
        "NodePort" => ServiceKind.NodePort,
        "LoadBalancer" => ServiceKind.LoadBalancer,
        "ExternalName" => ServiceKind.ExternalName,
        _ => throw new InvalidObjectException($"spec.type '{type}' is not ClusterIP, NodePort, LoadBalancer or ExternalName"),
    };

    private static ImmutableArray<IPAddress> ParseClusterIPs(ServiceSpec spec)
    {
        var raw = spec.ClusterIPs is { Count: > 0 } list ? list : spec.ClusterIP is { Length: > 0 } one ? [one] : [];
        if (raw.Count > 0 && raw[0] == "None")
        {
            return [];
        }

        return [.. raw.Select(ip => ParseIP(ip, "spec.clusterIPs"))];
    }

    private static ServicePortInfo StripPort(ServicePort port)
    {
        var servicePort = ValidPort(port.Port, "spec.ports[].port");
        var nodePort = port.NodePort is { } value ? ValidPort(value, "spec.ports[].nodePort") : 0;
        var target = port.TargetPort;
        if (string.IsNullOrEmpty(target))
        {
            return new(NullIfEmpty(port.Name), ParseProtocol(port.Protocol), servicePort, nodePort, servicePort);
        }

        return int.TryParse(target, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? new(NullIfEmpty(port.Name), ParseProtocol(port.Protocol), servicePort, nodePort, ValidPort(number, "spec.ports[].targetPort"))
            : new(NullIfEmpty(port.Name), ParseProtocol(port.Protocol), servicePort, nodePort, 0, target);
    }

    /// <summary>Named container ports of every container, the targets of named service targetPorts.</summary>
    private static ImmutableArray<ContainerPortInfo> ContainerPorts(PodSpec? spec) =>
        [.. Items(spec?.Containers, "spec.containers")
            .SelectMany(container => Items(container.Ports, "spec.containers[].ports"))
            .Where(port => !string.IsNullOrEmpty(port.Name))
            .Select(port => new ContainerPortInfo(port.Name!, ParseProtocol(port.Protocol), ValidPort(port.ContainerPortNumber, "spec.containers[].ports[].containerPort")))];

    private static string ParseProtocol(string? protocol) => protocol switch
    {
        null or "" or "TCP" => "TCP",
        "UDP" => "UDP",
        "SCTP" => "SCTP",
        _ => throw new InvalidObjectException($"protocol '{protocol}' is not TCP, UDP or SCTP"),
    };

    private static int ValidPort(int port, string field) =>
        port is >= 1 and <= 65535 ? port : throw new InvalidObjectException($"{field}: {port} is not a port (1-65535)");

    private static IPAddress ParseIP(string? text, string field) =>
        IPAddress.TryParse(text, out var ip) && (text.Contains(':', StringComparison.Ordinal) || text.Count(c => c == '.') == 3)
            ? ip
            : throw new InvalidObjectException($"{field}: '{text}' is not an IP address");

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
