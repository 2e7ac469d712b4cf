using System.Collections.Immutable;
using System.Net;

namespace KubeDns.Cluster.Model;

/// <summary>A Pod, stripped to what DNS needs: identity, IPs, labels, and the fields that decide endpoints.</summary>
public sealed record PodInfo(
    string Namespace,
    string Name,
    EquatableArray<IPAddress> IPs,
    ImmutableSortedDictionary<string, string> Labels,
    bool Running,
    bool Ready,
    bool Terminating,
    string? Hostname,
    string? Subdomain,
    string? NodeName,
    EquatableArray<ContainerPortInfo> ContainerPorts = default)
{
    public ObjectKey Key => new(Namespace, Name);

    public bool Equals(PodInfo? other) =>
        other is not null
        && Namespace == other.Namespace && Name == other.Name && IPs == other.IPs
        && Running == other.Running && Ready == other.Ready && Terminating == other.Terminating
        && Hostname == other.Hostname && Subdomain == other.Subdomain && NodeName == other.NodeName
        && ContainerPorts == other.ContainerPorts
        && Labels.Count == other.Labels.Count
        && Labels.All(pair => other.Labels.TryGetValue(pair.Key, out var value) && value == pair.Value);

    public override int GetHashCode() => HashCode.Combine(Namespace, Name, IPs);
}

/// <summary>A named container port, the target of services whose targetPort is a name.</summary>
public sealed record ContainerPortInfo(string Name, string Protocol, int Port);
