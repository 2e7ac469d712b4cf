using KubeDns.Protocol;
using KubeDns.Zone.Trie;

namespace KubeDns.Zone;

/// <summary>
/// One immutable version of the whole zone. Readers take the current snapshot with one volatile read and
/// never lock; the builder publishes a new snapshot by one reference swap (see README.md in this folder).
/// Names are keyed by their lower-case wire form, found by its hash without building anything.
/// </summary>
internal sealed class ZoneSnapshot
{
    public ZoneSnapshot(ZoneSettings settings, HashTrie<byte[], byte[], WireNameKey> names,
        HashTrie<AddressKey, byte[][], AddressKey.Ops> podAddresses, HashTrie<AddressKey, object, AddressKey.Ops> endpointAddresses,
        SoaRecord[] soa, uint serial)
    {
        EndpointAddresses = endpointAddresses;
        Settings = settings;
        Names = names;
        PodAddresses = podAddresses;
        Soa = soa;
        Serial = serial;
    }

    public ZoneSettings Settings { get; }

    /// <summary>Lower-case wire name → the node's data (<see cref="ZoneNode"/>).</summary>
    public HashTrie<byte[], byte[], WireNameKey> Names { get; }

    /// <summary>Pod IP → namespace labels of the pods holding it; filled in <c>pods verified</c> mode only.</summary>
    public HashTrie<AddressKey, byte[][], AddressKey.Ops> PodAddresses { get; }

    /// <summary>Endpoint address → the services publishing it (<see cref="EndpointAddressIndex"/>), for endpoint PTRs.</summary>
    public HashTrie<AddressKey, object, AddressKey.Ops> EndpointAddresses { get; }

    /// <summary>SOA per <see cref="ZoneAuthority.Index"/>.</summary>
    public SoaRecord[] Soa { get; }

    public uint Serial { get; }

    public int NameCount => Names.Count;

    /// <summary>The node at a name; one whose <see cref="ZoneNode.Exists"/> is false when the name is not in the zone.</summary>
    public ZoneNode Find(ReadOnlySpan<byte> lowerWireName) =>
        Names.TryFind(DnsName.Hash(lowerWireName), new WireNameProbe(lowerWireName), out var name, out var data)
            ? new ZoneNode(name, data)
            : default;

    /// <summary>
    /// The service node above an endpoint name (<c>label.svc.ns.svc.zone</c>) when its endpoint names hold that
    /// label; a node whose <see cref="ZoneNode.Exists"/> is false otherwise (see <see cref="EndpointNames"/>).
    /// <paramref name="labelsBelowClusterApex"/> is the name's depth in the cluster zone (the caller has checked
    /// that it is in it): only a name four labels down can be one, so a search-path NXDOMAIN costs no second lookup.
    /// </summary>
    public ZoneNode FindEndpointService(ReadOnlySpan<byte> lowerWireName, int labelsBelowClusterApex)
    {
        if (labelsBelowClusterApex != 4)
        {
            return default;
        }

        var service = Find(lowerWireName[(1 + lowerWireName[0])..]);
        return service.Exists && service.Endpoints.Contains(lowerWireName.Slice(1, lowerWireName[0])) ? service : default;
    }

    /// <summary>
    /// The service node above <c>_proto.svc.ns.svc.zone</c> or <c>_name._proto.svc.ns.svc.zone</c> when the service
    /// has such a named port (<see cref="ServicePorts"/>: these names have no nodes of their own); a node whose
    /// <see cref="ZoneNode.Exists"/> is false otherwise. <paramref name="labelsBelowClusterApex"/> as for
    /// <see cref="FindEndpointService"/>.
    /// </summary>
    public ZoneNode FindPortService(ReadOnlySpan<byte> lowerWireName, int labelsBelowClusterApex)
    {
        if (labelsBelowClusterApex is not (4 or 5) || !ServicePorts.IsPortLabel(lowerWireName))
        {
            return default;
        }

        var first = lowerWireName.Slice(1, lowerWireName[0]);
        var rest = lowerWireName[(1 + lowerWireName[0])..];
        if (labelsBelowClusterApex == 4)
        {
            var service = Find(rest);
            return service.Ports.HasNamedPort(first) ? service : default;
        }

        if (!ServicePorts.IsPortLabel(rest))
        {
            return default;
        }

        var portService = Find(rest[(1 + rest[0])..]);
        return portService.Ports.HasPort(first, rest.Slice(1, rest[0])) ? portService : default;
    }

    /// <summary>The services publishing the endpoint address a reverse name spells (none for any other name).</summary>
    public EndpointAddressIndex.ServiceNames EndpointPointerOwners(ReadOnlySpan<byte> lowerWireName, Span<byte> address, out int addressLength)
    {
        addressLength = AddressNames.ParseReverse(lowerWireName, address);
        return addressLength == 0 || !AddressKey.TryFromQuery(address[..addressLength], out var key) ? default : EndpointAddressIndex.Owners(EndpointAddresses, key);
    }

    /// <summary>The zone a name belongs to, or null when the server is not authoritative for it.</summary>
    public ZoneAuthority? AuthorityFor(ReadOnlySpan<byte> lowerWireName, out int labelsBelowApex)
    {
        foreach (var authority in Settings.Authorities)
        {
            if (DnsName.IsAtOrBelow(lowerWireName, authority.Apex, out labelsBelowApex))
            {
                return authority;
            }
        }

        labelsBelowApex = 0;
        return null;
    }
}
