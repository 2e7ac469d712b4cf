using System.Buffers.Binary;
using KubeDns.Protocol;
using KubeDns.Zone;

namespace KubeDns.Resolution;

/// <summary>
/// SRV answers, written when queried from the service node's ports and endpoint names (<see cref="ServicePorts"/>)
/// rather than stored as records (issue 14), with their targets' addresses in the additional section (RFC 2782,
/// "Additional data"). The records are those CoreDNS gives: priority 0, weights sharing 100 among the set's
/// distinct records, a ClusterIP service's own name as target, or each endpoint name of a headless service.
/// </summary>
internal sealed partial class ClusterResolver
{
    /// <summary>
    /// Highest offset a compression pointer reaches (14 bits, RFC 1035 §4.1.4); a target past it (a long TCP
    /// answer) is written out instead.
    /// </summary>
    private const int MaxPointerOffset = 0x3FFF;

    /// <summary>SRV priority, weight and port: the RDATA before the target (RFC 2782).</summary>
    private const int SrvFixedSize = 6;

    /// <summary>
    /// <c>_proto.svc.ns.svc.zone</c> (an empty non-terminal: NODATA) or <c>_name._proto.svc.ns.svc.zone</c> (the
    /// SRV of that port, NODATA for other types). False when the name is no port name of a service.
    /// </summary>
    private static bool TryAnswerServicePort(
        ZoneSnapshot snapshot, ZoneAuthority authority, int labelsBelowApex, scoped ReadOnlySpan<byte> name, ushort type,
        ref ResponseWriter writer, scoped ReadOnlySpan<byte> owner)
    {
        if (authority != snapshot.Settings.Cluster || snapshot.FindPortService(name, labelsBelowApex) is not { Exists: true } service)
        {
            return false;
        }

        var answered = false;
        if (labelsBelowApex == 5 && type is RecordType.SRV or RecordType.ANY)
        {
            var portName = name.Slice(1, name[0]);
            var rest = name[(1 + name[0])..];
            answered = AppendServiceSrv(snapshot, service, portName, rest.Slice(1, rest[0]), ref writer, owner);
        }

        if (!answered)
        {
            writer.AppendAuthority(snapshot.Soa[authority.Index].Authority); // NODATA (RFC 2308 §2.2).
        }

        return true;
    }

    /// <summary>
    /// Writes the SRV records of <paramref name="service"/> for the plain set (<paramref name="portName"/> empty)
    /// or the <c>_name._proto</c> set, then their glue. False when the set is empty.
    /// </summary>
    private static bool AppendServiceSrv(
        ZoneSnapshot snapshot, ZoneNode service, scoped ReadOnlySpan<byte> portName, scoped ReadOnlySpan<byte> protocol,
        ref ResponseWriter writer, scoped ReadOnlySpan<byte> owner)
    {
        var ports = service.Ports;
        var count = ports.Exists ? CountSrv(service, portName, protocol) : 0;
        if (count == 0)
        {
            return false;
        }

        var answersAt = writer.Position;
        var ownerLength = owner.IsEmpty ? 2 : owner.Length;
        var ttl = snapshot.Settings.Ttl;
        Span<byte> data = stackalloc byte[SrvFixedSize + DnsLimits.MaxNameLength];
        BinaryPrimitives.WriteUInt16BigEndian(data, 0);
        BinaryPrimitives.WriteUInt16BigEndian(data[2..], (ushort)Math.Max(1, 100 / count));
        if (!ports.Headless)
        {
            var length = SrvFixedSize + service.Name.Length;
            service.Name.CopyTo(data[SrvFixedSize..]);
            foreach (var port in ports.Group(0))
            {
                if (port.Answers(portName, protocol))
                {
                    BinaryPrimitives.WriteUInt16BigEndian(data[4..], port.Number);
                    writer.AppendAnswer(RecordType.SRV, ttl, data[..length], owner);
                }
            }

            AppendClusterIPGlue(service, ttl, answersAt + ownerLength + RecordSet.FixedSize + SrvFixedSize, ref writer);
            return true;
        }

        scoped ReadOnlySpan<byte> previous = default;
        foreach (var endpoint in service.Endpoints)
        {
            if (endpoint.Label.SequenceEqual(previous))
            {
                continue; // Another address of the same target: its records are written.
            }

            previous = endpoint.Label;
            var length = WriteTarget(endpoint.Label, service.Name, data[SrvFixedSize..]);
            foreach (var port in ports.Group(endpoint.PortGroup))
            {
                if (port.Answers(portName, protocol))
                {
                    BinaryPrimitives.WriteUInt16BigEndian(data[4..], port.Number);
                    writer.AppendAnswer(RecordType.SRV, ttl, data[..(SrvFixedSize + length)], owner);
                }
            }
        }

        AppendHeadlessGlue(service, portName, protocol, ttl, answersAt, ownerLength, ref writer);
        return true;
    }

    /// <summary>The distinct records of the set: what the weights share.</summary>
    private static int CountSrv(ZoneNode service, scoped ReadOnlySpan<byte> portName, scoped ReadOnlySpan<byte> protocol)
    {
        var ports = service.Ports;
        if (!ports.Headless)
        {
            return CountPorts(ports, 0, portName, protocol);
        }

        var count = 0;
        scoped ReadOnlySpan<byte> previous = default;
        foreach (var endpoint in service.Endpoints)
        {
            if (!endpoint.Label.SequenceEqual(previous))
            {
                previous = endpoint.Label;
                count += CountPorts(ports, endpoint.PortGroup, portName, protocol);
            }
        }

        return count;
    }

    private static int CountPorts(ServicePorts ports, int group, scoped ReadOnlySpan<byte> portName, scoped ReadOnlySpan<byte> protocol)
    {
        var count = 0;
        foreach (var port in ports.Group(group))
        {
            if (port.Answers(portName, protocol))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>The service's addresses (its A and AAAA records), owned by a pointer to the first SRV target.</summary>
    private static void AppendClusterIPGlue(ZoneNode service, uint ttl, int targetAt, ref ResponseWriter writer)
    {
        Span<byte> pointer = stackalloc byte[2];
        var owner = GlueOwner(service.Name, targetAt, pointer);
        foreach (var set in service.Sets)
        {
            if (set.Type is not (RecordType.A or RecordType.AAAA))
            {
                continue;
            }

            var answers = set.Answers;
            var start = 0;
            foreach (var end in set.AnswerEnds)
            {
                // The stored record: owner pointer (2), TYPE, CLASS, TTL, RDLENGTH (10), then the address.
                if (!writer.AppendAdditional(owner, set.Type, ttl, answers[(start + 2 + RecordSet.FixedSize)..end]))
                {
                    return;
                }

                start = end;
            }
        }
    }

    /// <summary>
    /// Each target's addresses, owned by a pointer to the target in its first SRV record; the positions are
    /// those <see cref="AppendServiceSrv"/> wrote the records at. Additional records are optional: the first that
    /// does not fit ends them, without TC.
    /// </summary>
    private static void AppendHeadlessGlue(
        ZoneNode service, scoped ReadOnlySpan<byte> portName, scoped ReadOnlySpan<byte> protocol, uint ttl, int answersAt, int ownerLength,
        ref ResponseWriter writer)
    {
        Span<byte> target = stackalloc byte[DnsLimits.MaxNameLength];
        Span<byte> pointer = stackalloc byte[2];
        scoped ReadOnlySpan<byte> owner = default;
        scoped ReadOnlySpan<byte> previous = default;
        var records = 0;
        var recordAt = answersAt;
        foreach (var endpoint in service.Endpoints)
        {
            if (!endpoint.Label.SequenceEqual(previous))
            {
                previous = endpoint.Label;
                var length = WriteTarget(endpoint.Label, service.Name, target);
                records = CountPorts(service.Ports, endpoint.PortGroup, portName, protocol);
                owner = GlueOwner(target[..length], recordAt + ownerLength + RecordSet.FixedSize + SrvFixedSize, pointer);
                recordAt += records * (ownerLength + RecordSet.FixedSize + SrvFixedSize + length);
            }

            var type = endpoint.Address.Length == 4 ? RecordType.A : RecordType.AAAA;
            if (records > 0 && !writer.AppendAdditional(owner, type, ttl, endpoint.Address))
            {
                return;
            }
        }
    }

    /// <summary>A pointer to <paramref name="targetAt"/> when one reaches it, else the target written out.</summary>
    private static ReadOnlySpan<byte> GlueOwner(ReadOnlySpan<byte> target, int targetAt, Span<byte> pointer)
    {
        if (targetAt > MaxPointerOffset)
        {
            return target;
        }

        BinaryPrimitives.WriteUInt16BigEndian(pointer, (ushort)(0xC000 | targetAt));
        return pointer;
    }

    /// <summary><c>label.svc.ns.svc.zone</c>; its length (the zone builder only keeps labels whose name fits).</summary>
    private static int WriteTarget(ReadOnlySpan<byte> label, ReadOnlySpan<byte> serviceName, Span<byte> destination)
    {
        destination[0] = (byte)label.Length;
        label.CopyTo(destination[1..]);
        serviceName.CopyTo(destination[(1 + label.Length)..]);
        return 1 + label.Length + serviceName.Length;
    }
}
