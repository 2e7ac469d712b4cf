using System.Net;
using KubeDns.Cluster.Model;
using KubeDns.Protocol;

namespace KubeDns.Zone;

/// <summary>One ready endpoint address of a service, with the DNS name it answers to.</summary>
internal sealed record ReadyEndpoint(byte[] Name, IPAddress Address, EquatableArray<EndpointPortInfo> Ports);

/// <summary>Selects and names the endpoints DNS publishes for a service.</summary>
internal static class ReadyEndpoints
{
    /// <summary>
    /// Ready endpoints (or all, with publishNotReadyAddresses), deduplicated across slices by (name, address).
    /// Name: the slice's hostname; else, with endpoint_pod_names, the pod name; else the dashed address.
    /// </summary>
    public static IReadOnlyList<ReadyEndpoint> Collect(ServiceInfo service, IEnumerable<EndpointSliceInfo> slices, byte[] serviceName, ZoneSettings settings)
    {
        var result = new List<ReadyEndpoint>();
        var seen = new HashSet<(WireName, IPAddress)>();
        foreach (var slice in slices)
        {
            foreach (var endpoint in slice.Endpoints)
            {
                if (!endpoint.Ready && !service.PublishNotReadyAddresses)
                {
                    continue;
                }

                foreach (var address in endpoint.Addresses)
                {
                    var label = endpoint.Hostname
                        ?? (settings.EndpointPodNames && endpoint.PodName is { Length: < 64 } pod ? pod : AddressNames.Dashed(address));
                    var labelBytes = new List<byte>();
                    if (!DnsName.TryAppendLabel(labelBytes, label)
                        || DnsName.TryConcat([.. labelBytes], serviceName) is not { } name
                        || !seen.Add((new WireName(name), address)))
                    {
                        continue;
                    }

                    result.Add(new ReadyEndpoint(name, address, slice.Ports));
                }
            }
        }

        return result;
    }
}
