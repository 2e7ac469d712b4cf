using System.Net;
using System.Net.Sockets;
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

        // Endpoint names and their PTRs are answered from the service node (EndpointNames), not zone names.
        foreach (var endpoint in endpoints)
        {
            serviceSet.Endpoints.Add(new EndpointName(endpoint.Name[1..(1 + endpoint.Name[0])], endpoint.Address.GetAddressBytes()));
        }

        if (service.IsHeadless)
        {
            AddHeadlessSrv(result, serviceName, endpoints, settings.Ttl);
        }
        else
        {
            AddClusterIPSrv(result, service, serviceName, settings.Ttl);
        }

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

    /// <summary>One SRV per service port, target the service name; named ports also under <c>_port._proto</c>.</summary>
    private static void AddClusterIPSrv(ContributionSet result, ServiceInfo service, byte[] serviceName, uint ttl)
    {
        var plain = new List<ZoneRecord>();
        foreach (var port in service.Ports)
        {
            var srv = new ZoneRecord(RecordType.SRV, ttl, RecordData.Srv(0, 100, (ushort)port.Port, serviceName));
            plain.Add(srv);
            var portName = PortName(serviceName, port.Name, port.Protocol, result);
            if (portName is not null)
            {
                AddSrvSet(result.At(portName), [srv], Glue(serviceName, service.ClusterIPs, ttl));
            }
        }

        AddSrvSet(result.At(serviceName), plain, Glue(serviceName, service.ClusterIPs, ttl));
    }

    /// <summary>One SRV per ready endpoint and port, target the endpoint's name, port the endpoint port.</summary>
    private static void AddHeadlessSrv(ContributionSet result, byte[] serviceName, IReadOnlyList<ReadyEndpoint> endpoints, uint ttl)
    {
        var plain = new List<ZoneRecord>();
        var plainGlue = new List<GlueRecord>();
        var byPortName = new Dictionary<WireName, (List<ZoneRecord> Records, List<GlueRecord> Glue)>();
        foreach (var endpoint in endpoints)
        {
            // A dual-stack endpoint appears once per address under one name: its SRV records repeat (and are
            // dropped as duplicates), its glue carries both addresses.
            var glue = new GlueRecord(RecordType.SRV, endpoint.Name, AddressRecord(endpoint.Address, ttl).Type, ttl, RecordData.Address(endpoint.Address));
            foreach (var port in endpoint.Ports)
            {
                var srv = new ZoneRecord(RecordType.SRV, ttl, RecordData.Srv(0, 100, (ushort)port.Port, endpoint.Name));
                plain.Add(srv);
                plainGlue.Add(glue);
                var portName = PortName(serviceName, port.Name, port.Protocol, result);
                if (portName is not null)
                {
                    var key = new WireName(portName);
                    if (!byPortName.TryGetValue(key, out var set))
                    {
                        set = ([], []);
                        byPortName.Add(key, set);
                    }

                    set.Records.Add(srv);
                    set.Glue.Add(glue);
                }
            }
        }

        AddSrvSet(result.At(serviceName), plain, plainGlue);
        foreach (var (portName, set) in byPortName)
        {
            AddSrvSet(result.At(portName.Bytes), set.Records, set.Glue);
        }
    }

    /// <summary>
    /// Weights share 100 among the distinct records of one set, as CoreDNS does. Duplicates (53/UDP and 53/TCP
    /// give the same SRV RDATA; so do the two addresses of a dual-stack endpoint) are dropped first.
    /// </summary>
    private static void AddSrvSet(NameContribution target, List<ZoneRecord> records, IEnumerable<GlueRecord> glue)
    {
        var distinct = records.DistinctBy(record => record.Data, ByteContentComparer.Instance).ToList();
        var weight = (ushort)Math.Max(1, 100 / Math.Max(1, distinct.Count));
        foreach (var record in distinct)
        {
            var data = (byte[])record.Data.Clone();
            data[2] = (byte)(weight >> 8);
            data[3] = (byte)weight;
            target.Records.Add(record with { Data = data });
        }

        target.Glue.AddRange(glue);
    }

    private static IEnumerable<GlueRecord> Glue(byte[] owner, IEnumerable<IPAddress> addresses, uint ttl) =>
        addresses.Select(a => new GlueRecord(RecordType.SRV, owner, AddressRecord(a, ttl).Type, ttl, RecordData.Address(a)));

    /// <summary><c>_port._proto.svc...</c> for a named port; the <c>_proto.svc...</c> above it exists too (RFC 8020).</summary>
    private static byte[]? PortName(byte[] serviceName, string? portName, string protocol, ContributionSet result)
    {
        if (portName is null)
        {
            return null;
        }

        var protoLabel = new List<byte>();
        if (!DnsName.TryAppendLabel(protoLabel, "_" + protocol.ToLowerInvariant()))
        {
            return null;
        }

        var protoName = DnsName.TryConcat([.. protoLabel], serviceName);
        var portLabel = new List<byte>();
        if (protoName is null || !DnsName.TryAppendLabel(portLabel, "_" + portName))
        {
            return null;
        }

        result.At(protoName);
        return DnsName.TryConcat([.. portLabel], protoName);
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
