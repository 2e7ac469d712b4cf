using KubeDns.Protocol;
using KubeDns.Zone;

namespace KubeDns.Resolution;

/// <summary>
/// Endpoint names and their PTRs, answered from the service node's endpoint names (<see cref="EndpointNames"/>)
/// and the endpoint address index rather than from zone names of their own (issue 14): the answers are the
/// ones those names gave, records built in place.
/// </summary>
internal sealed partial class ClusterResolver
{
    /// <summary>
    /// <c>label.svc.ns.svc.zone</c>: the A/AAAA of the service's endpoint addresses named <c>label</c>, or
    /// NODATA for other types. False when the name is no endpoint name. <paramref name="owner"/> is empty when
    /// the name is the question.
    /// </summary>
    private static bool TryAnswerEndpoint(
        ZoneSnapshot snapshot, ZoneAuthority authority, int labelsBelowApex, scoped ReadOnlySpan<byte> name, ushort type,
        ref ResponseWriter writer, scoped ReadOnlySpan<byte> owner)
    {
        if (authority != snapshot.Settings.Cluster || snapshot.FindEndpointService(name, labelsBelowApex) is not { Exists: true } service)
        {
            return false;
        }

        var label = name.Slice(1, name[0]);
        var answered = false;
        foreach (var endpoint in service.Endpoints)
        {
            var recordType = endpoint.Address.Length == 4 ? RecordType.A : RecordType.AAAA;
            if (endpoint.Label.SequenceEqual(label) && (type == recordType || type == RecordType.ANY))
            {
                writer.AppendAnswer(recordType, snapshot.Settings.Ttl, endpoint.Address, owner);
                answered = true;
            }
        }

        if (!answered)
        {
            writer.AppendAuthority(snapshot.Soa[authority.Index].Authority); // NODATA (RFC 2308 §2.2).
        }

        return true;
    }

    /// <summary>
    /// The reverse name of an endpoint address: one PTR per (service, endpoint name) publishing it, after the
    /// records of the zone node at the name if there is one (an endpoint that is also a ClusterIP). False when
    /// no service publishes the address.
    /// </summary>
    private static bool TryAnswerEndpointPointers(
        ZoneSnapshot snapshot, ZoneAuthority authority, scoped ReadOnlySpan<byte> name, ZoneNode node, ushort type,
        ref ResponseWriter writer, scoped ReadOnlySpan<byte> owner)
    {
        if (authority == snapshot.Settings.Cluster)
        {
            return false;
        }

        Span<byte> address = stackalloc byte[16];
        var owners = snapshot.EndpointPointerOwners(name, address, out var length);
        if (owners.Count == 0)
        {
            return false;
        }

        var answered = node.Exists && AppendSets(node, type, ref writer, owner);
        if (type is RecordType.PTR or RecordType.ANY)
        {
            answered |= AppendEndpointPointers(snapshot, owners, address[..length], ref writer, owner);
        }

        if (!answered)
        {
            writer.AppendAuthority(snapshot.Soa[authority.Index].Authority);
        }

        return true;
    }

    private static bool AppendEndpointPointers(
        ZoneSnapshot snapshot, EndpointAddressIndex.ServiceNames owners, scoped ReadOnlySpan<byte> address,
        ref ResponseWriter writer, scoped ReadOnlySpan<byte> owner)
    {
        var answered = false;
        Span<byte> target = stackalloc byte[DnsLimits.MaxNameLength + 1];
        for (var i = 0; i < owners.Count; i++)
        {
            var serviceName = owners[i];
            foreach (var endpoint in snapshot.Find(serviceName).Endpoints)
            {
                var length = 1 + endpoint.Label.Length + serviceName.Length;
                if (!endpoint.Address.SequenceEqual(address) || length > DnsLimits.MaxNameLength)
                {
                    continue;
                }

                target[0] = (byte)endpoint.Label.Length;
                endpoint.Label.CopyTo(target[1..]);
                serviceName.CopyTo(target[(1 + endpoint.Label.Length)..]);
                writer.AppendAnswer(RecordType.PTR, snapshot.Settings.Ttl, target[..length], owner);
                answered = true;
            }
        }

        return answered;
    }
}
