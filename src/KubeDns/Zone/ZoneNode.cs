using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace KubeDns.Zone;

/// <summary>
/// One existing name in the zone: its lower-case wire name and one data array, read in place (a view, not an
/// object: at 340,000 names the node objects and separate CNAME and set arrays cost ~25 MiB, issue 14).
/// The data array: an 8-byte header (apex index + 1, or 0; CNAME target length, or 0; contributor count,
/// 16-bit little-endian; the offset of the service section, 32-bit little-endian, or 0), the contributor ids
/// (32-bit, the zone builder's, first added first), the CNAME target, padding to a 32-bit word, the record
/// sets (<see cref="RecordSets"/>), then a service's section: its ports (<see cref="ServicePorts"/>, from which
/// SRV answers are written) and its endpoint names (<see cref="EndpointNames"/>). A node
/// with no sets is an empty non-terminal (the name exists, so other types get NODATA, RFC 8020).
/// </summary>
internal readonly struct ZoneNode
{
    private const int HeaderSize = 8;
    private readonly byte[] _data;

    public ZoneNode(byte[] name, byte[] data)
    {
        Name = name;
        _data = data;
    }

    /// <summary>False for the default value: what a lookup of a name not in the zone returns.</summary>
    public bool Exists => _data is not null;

    /// <summary>Lower-case wire name.</summary>
    public byte[] Name { get; }

    /// <summary>The index of the zone (<see cref="ZoneAuthority.Index"/>) whose apex this is, or -1.</summary>
    public int ApexIndex => _data[0] - 1;

    public bool HasCname => _data[1] != 0;

    /// <summary>Target of the CNAME at this name, lower-case wire; empty when there is none.</summary>
    public ReadOnlySpan<byte> CnameTarget => _data.AsSpan(CnameAt, _data[1]);

    /// <summary>The zone builder's ids of the objects whose records are merged here.</summary>
    public ReadOnlySpan<int> Contributors => MemoryMarshal.Cast<byte, int>(_data.AsSpan(HeaderSize, ContributorCount(_data) * sizeof(int)));

    public RecordSets Sets => new(_data, SetsAt(_data));

    /// <summary>A service's ports; <see cref="ServicePorts.Exists"/> is false for other nodes.</summary>
    public ServicePorts Ports => Exists ? new(_data, ServiceAt) : default;

    /// <summary>The endpoint names below this name (a service's); <see cref="EndpointNames.Exists"/> is false for other nodes.</summary>
    public EndpointNames Endpoints => Exists && ServiceAt is var at and > 0 ? new(_data, at + new ServicePorts(_data, at).Size) : default;

    private int ServiceAt => BinaryPrimitives.ReadInt32LittleEndian(_data.AsSpan(4));

    private int CnameAt => HeaderSize + (ContributorCount(_data) * sizeof(int));

    public RecordSet? Find(ushort type)
    {
        foreach (var set in Sets)
        {
            if (set.Type == type)
            {
                return set;
            }
        }

        return null;
    }

    /// <summary>The data array of a node (see the type's summary).</summary>
    public static byte[] Encode(
        ReadOnlySpan<int> contributors, ReadOnlySpan<byte> cnameTarget, int apexIndex,
        IReadOnlyList<(ushort Type, IReadOnlyList<ZoneRecord> Records)> sets,
        ServicePortTable? ports, IReadOnlyList<EndpointName> endpoints)
    {
        var setsAt = RecordSet.Align(HeaderSize + (contributors.Length * sizeof(int)) + cnameTarget.Length);
        var serviceAt = setsAt + RecordSets.Size(sets);
        var hasService = ports is not null || endpoints.Count > 0;
        var groups = ports?.Groups ?? [];
        var portsSize = ServicePorts.SizeOf(groups);
        var data = new byte[serviceAt + (hasService ? portsSize + EndpointNames.Size(endpoints) : 0)];
        data[0] = (byte)(apexIndex + 1);
        data[1] = (byte)cnameTarget.Length;
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(2), checked((ushort)contributors.Length));
        if (hasService)
        {
            BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(4), serviceAt);
            ServicePorts.Write(data.AsSpan(serviceAt), ports?.Headless ?? false, groups);
            EndpointNames.Write(data.AsSpan(serviceAt + portsSize), endpoints);
        }

        MemoryMarshal.AsBytes(contributors).CopyTo(data.AsSpan(HeaderSize));
        cnameTarget.CopyTo(data.AsSpan(HeaderSize + (contributors.Length * sizeof(int))));
        RecordSets.Write(data, setsAt, sets);
        return data;
    }

    private static int ContributorCount(byte[] data) => BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(2));

    private static int SetsAt(byte[] data) => RecordSet.Align(HeaderSize + (ContributorCount(data) * sizeof(int)) + data[1]);
}
