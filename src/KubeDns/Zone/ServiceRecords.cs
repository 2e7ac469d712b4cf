using System.Net;
using System.Net.Sockets;
using System.Text;
using KubeDns.Cluster.Model;
using KubeDns.Protocol;

namespace KubeDns.Zone;

/// <summary>
/// The records one Service (with its EndpointSlices) puts in the zone, per the Kubernetes DNS specification
/// and CoreDNS's kubernetes plugin (see ../shared/reference/k8s-dns.md):
/// <c>svc.ns.svc.zone</c> A/AAAA/SRV/CNAME, <c>_port._proto.svc...</c> SRV, endpoint names, and PTRs.
/// </summary>
internal static class ServiceRecords
{
    public static ContributionSet Build(ServiceInfo service, IEnumerable<EndpointSliceInfo> slices, ZoneSettings settings)
    {
        var result = new ContributionSet();
        var serviceName = ServiceName(service.Key, settings);
        if (serviceName is null)
        {
            return result;
        }

        if (service.Kind == ServiceKind.ExternalName)
        {
            AddExternalName(result, serviceName, service.ExternalName!, settings);
            return result;
        }

        var endpoints = ReadyEndpoints.Collect(service, slices, serviceName, settings);
        if (service.IsHeadless && endpoints.Count == 0)
        {
            return result; // No ready endpoint: the headless name does not exist (NXDOMAIN).
        }

        var serviceSet = result.At(serviceName);
        var serviceAddresses = service.IsHeadless ? endpoints.Select(e => e.Address).Distinct() : service.ClusterIPs;
        foreach (var address in serviceAddresses)
        {
            serviceSet.Records.Add(AddressRecord(address, settings.Ttl));
        }

        foreach (var ip in service.ClusterIPs)
        {
            AddPointer(result, ip, serviceName, settings.Ttl);
        }

        // Endpoint names, their PTRs and the SRV answers are written from the service node (its ports and
        // endpoint names) when queried, not kept as zone names and records.
        serviceSet.Ports = service.IsHeadless ? HeadlessPorts(endpoints, serviceSet.Endpoints) : ClusterIPPorts(service, endpoints, serviceSet.Endpoints);
        if (service.Namespace == "kube-system" && service.Name == "kube-dns")
        {
            AddNameServerAddresses(result, service, settings);
        }

        return result;
    }

    /// <summary><c>svc.ns.svc.zone</c>, lower-case wire; null when too long for DNS.</summary>
    public static byte[]? ServiceName(ObjectKey service, ZoneSettings settings) => settings.TryName($"{service.Name}.{service.Namespace}.svc");

    public static ZoneRecord AddressRecord(IPAddress address, uint ttl) =>
        new(address.AddressFamily == AddressFamily.InterNetwork ? RecordType.A : RecordType.AAAA, ttl, RecordData.Address(address));

    private static void AddExternalName(ContributionSet result, byte[] serviceName, string externalName, ZoneSettings settings)
    {
        var target = DnsName.TryEncode(externalName);
        if (target is null)
        {
            return;
        }

        var contribution = result.At(serviceName);
        contribution.Records.Add(new ZoneRecord(RecordType.CNAME, settings.Ttl, target));
        contribution.CnameTarget = target;
    }

    private static void AddPointer(ContributionSet result, IPAddress address, byte[] target, uint ttl)
    {
        var reverse = DnsName.TryEncode(AddressNames.Reverse(address));
        if (reverse is not null)
        {
            result.At(reverse).Records.Add(new ZoneRecord(RecordType.PTR, ttl, target));
        }
    }

    /// <summary>A ClusterIP service's SRV answers target its own name, one per port; its endpoint names have no ports.</summary>
    private static ServicePortTable ClusterIPPorts(ServiceInfo service, IReadOnlyList<ReadyEndpoint> endpoints, List<EndpointName> names)
    {
        foreach (var endpoint in endpoints)
        {
            names.Add(new EndpointName(Label(endpoint.Name), endpoint.Address.GetAddressBytes()));
        }

        return new ServicePortTable(Headless: false, [SrvPorts(service.Ports.Select(p => (p.Name, p.Protocol, p.Port)))]);
    }

    /// <summary>
    /// A headless service's SRV answers target its endpoint names, each with the ports of the slices its addresses
    /// are in (a dual-stack endpoint is one target in two slices). Labels with the same ports share a group.
    /// </summary>
    private static ServicePortTable HeadlessPorts(IReadOnlyList<ReadyEndpoint> endpoints, List<EndpointName> names)
    {
        var groups = new List<IReadOnlyList<SrvPort>>();
        var groupOf = new Dictionary<string, ushort>();
        foreach (var target in endpoints.GroupBy(e => new WireName(e.Name)))
        {
            var ports = SrvPorts(target.SelectMany(e => e.Ports).Select(p => (p.Name, p.Protocol, p.Port)));
            var key = string.Join('/', ports.Select(p => $"{p.Number} {Encoding.ASCII.GetString(p.Protocol)} {Encoding.ASCII.GetString(p.Name)}"));
            if (!groupOf.TryGetValue(key, out var group))
            {
                // A group index is 16 bits: past that many distinct port lists (no real service has them), the
                // remaining targets share an empty group and are left out of SRV answers.
                group = (ushort)Math.Min(groups.Count, ushort.MaxValue - 1);
                if (group == groups.Count)
                {
                    groups.Add(group == ushort.MaxValue - 1 ? [] : ports);
                }

                groupOf[key] = group;
            }

            foreach (var endpoint in target)
            {
                names.Add(new EndpointName(Label(endpoint.Name), endpoint.Address.GetAddressBytes(), group));
            }
        }

        return new ServicePortTable(Headless: true, groups);
    }

    private static byte[] Label(byte[] name) => name[1..(1 + name[0])];

    /// <summary>
    /// Ports as SRV answers name them, duplicates dropped: <c>_proto</c> and <c>_name</c> labels lower case (a
    /// name that is no valid label, or no name, leaves the port out of the <c>_name._proto</c> sets only).
    /// </summary>
    private static List<SrvPort> SrvPorts(IEnumerable<(string? Name, string Protocol, int Port)> ports)
    {
        var result = new List<SrvPort>();
        var seen = new HashSet<(int, string, string)>();
        foreach (var (name, protocol, port) in ports)
        {
            var protocolLabel = UnderscoreLabel(protocol);
            var nameLabel = name is null || protocolLabel.Length == 0 ? [] : UnderscoreLabel(name);
            if (seen.Add((port, Encoding.ASCII.GetString(protocolLabel), Encoding.ASCII.GetString(nameLabel))))
            {
                result.Add(new SrvPort((ushort)port, protocolLabel, nameLabel));
            }
        }

        return result;
    }

    /// <summary><c>_text</c> as label bytes, lower case; empty when that is no label.</summary>
    private static byte[] UnderscoreLabel(string text)
    {
        var label = new List<byte>();
        return DnsName.TryAppendLabel(label, "_" + text) ? [.. label.Skip(1)] : [];
    }

    /// <summary>
    /// <c>ns.dns.zone</c>, the NS target and SOA MNAME, answers with the kube-dns service's addresses,
    /// as CoreDNS answers it with its own.
    /// </summary>
    private static void AddNameServerAddresses(ContributionSet result, ServiceInfo service, ZoneSettings settings)
    {
        var nameServer = result.At(settings.NameServer);
        foreach (var ip in service.ClusterIPs)
        {
            nameServer.Records.Add(AddressRecord(ip, settings.Ttl));
        }

        result.At(settings.Name("dns"));
    }
}
