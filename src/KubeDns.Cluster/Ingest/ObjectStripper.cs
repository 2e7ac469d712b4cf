using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using k8s.Models;
using KubeDns.Cluster.Model;

namespace KubeDns.Cluster.Ingest;

/// <summary>
/// Turns full API objects (from the API server or from manifest files) into the small immutable records the
/// rest of the system keeps. Nothing else holds a V1 object. Invalid content throws
/// <see cref="InvalidObjectException"/> naming the field, so one bad object never poisons the others.
/// </summary>
public static class ObjectStripper
{
    public static NamespaceInfo Strip(V1Namespace ns) => new(RequireName(ns.Metadata));

    public static ServiceInfo Strip(V1Service service)
    {
        var spec = service.Spec ?? new V1ServiceSpec();
        var kind = ParseKind(spec.Type);
        var ips = kind == ServiceKind.ExternalName ? [] : ParseClusterIPs(spec);
        var ports = (spec.Ports ?? []).Select(StripPort).ToImmutableArray();
        if (kind == ServiceKind.ExternalName && string.IsNullOrWhiteSpace(spec.ExternalName))
        {
            throw new InvalidObjectException("spec.externalName is required for type ExternalName");
        }

        return new ServiceInfo(
            NamespaceOf(service.Metadata),
            RequireName(service.Metadata),
            kind,
            ips,
            kind == ServiceKind.ExternalName ? spec.ExternalName!.TrimEnd('.') : null,
            ports,
            spec.Selector is { Count: > 0 } selector ? selector.ToImmutableSortedDictionary(StringComparer.Ordinal) : null,
            spec.PublishNotReadyAddresses ?? false);
    }

    public static EndpointSliceInfo Strip(V1EndpointSlice slice)
    {
        string? serviceName = null;
        slice.Metadata?.Labels?.TryGetValue("kubernetes.io/service-name", out serviceName);
        var ports = (slice.Ports ?? [])
            .Select(p => new EndpointPortInfo(NullIfEmpty(p.Name), ParseProtocol(p.Protocol), ValidPort(p.Port ?? 0, "ports[].port")))
            .ToImmutableArray();
        var endpoints = (slice.Endpoints ?? [])
            .Select(e => new EndpointInfo(
                e.Addresses.Select(a => ParseIP(a, "endpoints[].addresses")).ToImmutableArray(),
                e.Conditions?.Ready ?? true,
                e.Conditions?.Serving ?? e.Conditions?.Ready ?? true,
                e.Conditions?.Terminating ?? false,
                NullIfEmpty(e.Hostname),
                NullIfEmpty(e.NodeName),
                e.TargetRef is { Kind: "Pod" } target ? target.Name : null))
            .ToImmutableArray();
        return new EndpointSliceInfo(NamespaceOf(slice.Metadata), RequireName(slice.Metadata), NullIfEmpty(serviceName), ports, endpoints);
    }

    public static PodInfo Strip(V1Pod pod)
    {
        var status = pod.Status;
        var ips = status?.PodIPs is { Count: > 0 } podIPs
            ? podIPs.Select(p => ParseIP(p.Ip, "status.podIPs[].ip")).ToImmutableArray()
            : string.IsNullOrEmpty(status?.PodIP) ? [] : [ParseIP(status.PodIP, "status.podIP")];
        var ready = status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") ?? false;
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
            NullIfEmpty(pod.Spec?.NodeName),
            ContainerPorts(pod.Spec));
    }

    /// <summary>Manifests may omit the namespace; kubectl then applies them to <c>default</c>.</summary>
    private static string NamespaceOf(V1ObjectMeta? metadata) =>
        string.IsNullOrEmpty(metadata?.NamespaceProperty) ? "default" : metadata.NamespaceProperty;

    private static string RequireName(V1ObjectMeta? metadata) =>
        string.IsNullOrEmpty(metadata?.Name) ? throw new InvalidObjectException("metadata.name is required") : metadata.Name;

    private static ServiceKind ParseKind(string? type) => type switch
    {
        null or "" or "ClusterIP" => ServiceKind.ClusterIP,
        "NodePort" => ServiceKind.NodePort,
        "LoadBalancer" => ServiceKind.LoadBalancer,
        "ExternalName" => ServiceKind.ExternalName,
        _ => throw new InvalidObjectException($"spec.type '{type}' is not ClusterIP, NodePort, LoadBalancer or ExternalName"),
    };

    private static ImmutableArray<IPAddress> ParseClusterIPs(V1ServiceSpec spec)
    {
        var raw = spec.ClusterIPs is { Count: > 0 } list ? list : spec.ClusterIP is { Length: > 0 } one ? [one] : [];
        if (raw.Count > 0 && raw[0] == "None")
        {
            return [];
        }

        return [.. raw.Select(ip => ParseIP(ip, "spec.clusterIPs"))];
    }

    private static ServicePortInfo StripPort(V1ServicePort port)
    {
        var servicePort = ValidPort(port.Port, "spec.ports[].port");
        var nodePort = port.NodePort is { } value ? ValidPort(value, "spec.ports[].nodePort") : 0;
        var target = port.TargetPort?.Value;
        if (string.IsNullOrEmpty(target))
        {
            return new(NullIfEmpty(port.Name), ParseProtocol(port.Protocol), servicePort, nodePort, servicePort);
        }

        return int.TryParse(target, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? new(NullIfEmpty(port.Name), ParseProtocol(port.Protocol), servicePort, nodePort, ValidPort(number, "spec.ports[].targetPort"))
            : new(NullIfEmpty(port.Name), ParseProtocol(port.Protocol), servicePort, nodePort, 0, target);
    }

    /// <summary>Named container ports of every container, the targets of named service targetPorts.</summary>
    private static ImmutableArray<ContainerPortInfo> ContainerPorts(V1PodSpec? spec) =>
        [.. (spec?.Containers ?? [])
            .SelectMany(container => container.Ports ?? [])
            .Where(port => !string.IsNullOrEmpty(port.Name))
            .Select(port => new ContainerPortInfo(port.Name, ParseProtocol(port.Protocol), ValidPort(port.ContainerPort, "spec.containers[].ports[].containerPort")))];

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
