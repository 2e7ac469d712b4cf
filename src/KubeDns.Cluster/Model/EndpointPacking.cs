using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Net;
using System.Text;

namespace KubeDns.Cluster.Model;

/// <summary>
/// A slice's endpoints as one byte array: at 150,000 endpoints an <see cref="EndpointInfo"/> with its
/// address array and <see cref="IPAddress"/> objects cost ~130 B each (19 MiB) where these bytes cost ~10
/// (issue 14). The sources and the zone builder hold slices for as long as they exist; readers unpack
/// them when a service is rebuilt. Per endpoint: a flags byte (ready, serving, terminating, and which of
/// hostname, node name and pod name follow), the address count, each address as its length and bytes, then
/// each present string as a 16-bit length and UTF-8 bytes.
/// </summary>
internal static class EndpointPacking
{
    private const byte Ready = 1;
    private const byte Serving = 2;
    private const byte Terminating = 4;
    private const byte HasHostname = 8;
    private const byte HasNode = 16;
    private const byte HasPod = 32;

    public static EquatableArray<byte> Pack(EquatableArray<EndpointInfo> endpoints)
    {
        var size = sizeof(int);
        foreach (var endpoint in endpoints)
        {
            size += 2 + StringSize(endpoint.Hostname) + StringSize(endpoint.NodeName) + StringSize(endpoint.PodName);
            foreach (var address in endpoint.Addresses)
            {
                size += 1 + (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 16 : 4);
            }
        }

        var bytes = new byte[size];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, endpoints.Count);
        var at = sizeof(int);
        foreach (var endpoint in endpoints)
        {
            bytes[at++] = (byte)((endpoint.Ready ? Ready : 0) | (endpoint.Serving ? Serving : 0) | (endpoint.Terminating ? Terminating : 0)
                | (endpoint.Hostname is null ? 0 : HasHostname) | (endpoint.NodeName is null ? 0 : HasNode) | (endpoint.PodName is null ? 0 : HasPod));
            bytes[at++] = checked((byte)endpoint.Addresses.Count);
            foreach (var address in endpoint.Addresses)
            {
                address.TryWriteBytes(bytes.AsSpan(at + 1), out var written);
                bytes[at] = (byte)written;
                at += 1 + written;
            }

            at = WriteString(bytes, at, endpoint.Hostname);
            at = WriteString(bytes, at, endpoint.NodeName);
            at = WriteString(bytes, at, endpoint.PodName);
        }

        return ImmutableArray.Create(bytes);
    }

    public static EquatableArray<EndpointInfo> Unpack(EquatableArray<byte> packed)
    {
        var bytes = packed.Items.AsSpan();
        if (bytes.IsEmpty)
        {
            return ImmutableArray<EndpointInfo>.Empty;
        }

        var count = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        var endpoints = ImmutableArray.CreateBuilder<EndpointInfo>(count);
        var at = sizeof(int);
        for (var i = 0; i < count; i++)
        {
            var flags = bytes[at++];
            var addresses = new IPAddress[bytes[at++]];
            for (var a = 0; a < addresses.Length; a++)
            {
                addresses[a] = new IPAddress(bytes.Slice(at + 1, bytes[at]));
                at += 1 + bytes[at];
            }

            var hostname = ReadString(bytes, ref at, (flags & HasHostname) != 0);
            var node = ReadString(bytes, ref at, (flags & HasNode) != 0);
            var pod = ReadString(bytes, ref at, (flags & HasPod) != 0);
            endpoints.Add(new EndpointInfo(ImmutableArray.Create(addresses), (flags & Ready) != 0, (flags & Serving) != 0, (flags & Terminating) != 0, hostname, node, pod));
        }

        return endpoints.MoveToImmutable();
    }

    private static int StringSize(string? value) => value is null ? 0 : 2 + Encoding.UTF8.GetByteCount(value);

    private static int WriteString(byte[] bytes, int at, string? value)
    {
        if (value is null)
        {
            return at;
        }

        var length = Encoding.UTF8.GetBytes(value, bytes.AsSpan(at + 2));
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at), checked((ushort)length));
        return at + 2 + length;
    }

    private static string? ReadString(ReadOnlySpan<byte> bytes, ref int at, bool present)
    {
        if (!present)
        {
            return null;
        }

        var length = BinaryPrimitives.ReadUInt16LittleEndian(bytes[at..]);
        var value = Encoding.UTF8.GetString(bytes.Slice(at + 2, length));
        at += 2 + length;
        return value;
    }
}
