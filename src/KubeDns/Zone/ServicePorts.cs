using System.Buffers.Binary;

namespace KubeDns.Zone;

/// <summary>One port SRV answers name: its number and its <c>_proto</c> and <c>_name</c> labels (lower case; no name: empty).</summary>
internal readonly record struct SrvPort(ushort Number, byte[] Protocol, byte[] Name);

/// <summary>A service's port groups before encoding (<see cref="ServicePorts"/>).</summary>
internal sealed record ServicePortTable(bool Headless, IReadOnlyList<IReadOnlyList<SrvPort>> Groups);

/// <summary>
/// A service's ports, from which the resolver writes its SRV answers when queried (issue 14): the plain
/// <c>svc.ns.svc.zone</c> set and the <c>_port._proto.svc...</c> sets, whose names exist without nodes of
/// their own. Stored as records they were every headless endpoint's SRV and glue twice (plain and named set,
/// ~150 B), and two names per service. A ClusterIP service has one group, its own ports, and targets its own
/// name; a headless service has one group per distinct port list of its endpoint names
/// (<see cref="EndpointName.PortGroup"/>), and targets them.
/// Layout in the service node's data: kind (1 byte: 1 ClusterIP, 2 headless), a pad byte, the group count
/// (16-bit), the section's size (32-bit), each group's offset in the section (32-bit), then per group its port
/// count (16-bit) and per port its number (16-bit), a flags byte (<see cref="FirstOfNumber"/>), the protocol
/// label and the name label (each a length byte and the label). Integers are little-endian.
/// </summary>
internal readonly struct ServicePorts
{
    /// <summary>The port is the first of its group with its number: the plain set has one SRV per number (CoreDNS drops duplicate RDATA).</summary>
    public const byte FirstOfNumber = 1;

    private const byte ClusterIPKind = 1;
    private const byte HeadlessKind = 2;
    private const int HeaderSize = 8;
    private readonly byte[] _blob;
    private readonly int _start;

    public ServicePorts(byte[] blob, int start)
    {
        _blob = blob;
        _start = start;
    }

    /// <summary>False for nodes that are no service with ports (and for the default value).</summary>
    public bool Exists => _start > 0 && GroupCount > 0;

    /// <summary>The port labels SRV names use start with an underscore (RFC 2782).</summary>
    public static bool IsPortLabel(ReadOnlySpan<byte> name) => name.Length > 1 && name[0] > 0 && name[1] == (byte)'_';

    /// <summary>True when the SRV targets are the endpoint names; false when the service's own name.</summary>
    public bool Headless => _blob[_start] == HeadlessKind;

    public int GroupCount => BinaryPrimitives.ReadUInt16LittleEndian(_blob.AsSpan(_start + 2));

    /// <summary>Bytes the section takes: the endpoint names follow it.</summary>
    public int Size => BinaryPrimitives.ReadInt32LittleEndian(_blob.AsSpan(_start + 4));

    public PortEnumerator Group(int index) =>
        new(_blob, _start + BinaryPrimitives.ReadInt32LittleEndian(_blob.AsSpan(_start + HeaderSize + (index * sizeof(int)))));

    /// <summary>True when some port of some group has this protocol label and a name: <c>_proto.svc...</c> exists (RFC 8020).</summary>
    public bool HasNamedPort(ReadOnlySpan<byte> protocol)
    {
        for (var group = 0; Exists && group < GroupCount; group++)
        {
            foreach (var port in Group(group))
            {
                if (!port.Name.IsEmpty && port.Protocol.SequenceEqual(protocol))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>True when some port is named <paramref name="name"/> with <paramref name="protocol"/>: <c>_name._proto.svc...</c> exists.</summary>
    public bool HasPort(ReadOnlySpan<byte> name, ReadOnlySpan<byte> protocol)
    {
        for (var group = 0; Exists && group < GroupCount; group++)
        {
            foreach (var port in Group(group))
            {
                if (port.Name.SequenceEqual(name) && port.Protocol.SequenceEqual(protocol))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The bytes <paramref name="groups"/> take.</summary>
    public static int SizeOf(IReadOnlyList<IReadOnlyList<SrvPort>> groups)
    {
        var size = HeaderSize + (groups.Count * sizeof(int));
        foreach (var group in groups)
        {
            size += sizeof(ushort);
            foreach (var port in group)
            {
                size += sizeof(ushort) + 1 + 1 + port.Protocol.Length + 1 + port.Name.Length;
            }
        }

        return size;
    }

    /// <summary>Writes the section to a span of <see cref="SizeOf"/> bytes.</summary>
    public static void Write(Span<byte> destination, bool headless, IReadOnlyList<IReadOnlyList<SrvPort>> groups)
    {
        destination[0] = headless ? HeadlessKind : ClusterIPKind;
        BinaryPrimitives.WriteUInt16LittleEndian(destination[2..], checked((ushort)groups.Count));
        BinaryPrimitives.WriteInt32LittleEndian(destination[4..], SizeOf(groups));
        var offset = HeaderSize + (groups.Count * sizeof(int));
        for (var g = 0; g < groups.Count; g++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(destination[(HeaderSize + (g * sizeof(int)))..], offset);
            var group = groups[g];
            BinaryPrimitives.WriteUInt16LittleEndian(destination[offset..], checked((ushort)group.Count));
            offset += sizeof(ushort);
            var numbers = new HashSet<ushort>();
            foreach (var port in group)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(destination[offset..], port.Number);
                destination[offset + 2] = numbers.Add(port.Number) ? FirstOfNumber : (byte)0;
                offset += 3;
                offset = WriteLabel(destination, offset, port.Protocol);
                offset = WriteLabel(destination, offset, port.Name);
            }
        }
    }

    private static int WriteLabel(Span<byte> destination, int offset, byte[] label)
    {
        destination[offset] = (byte)label.Length;
        label.CopyTo(destination[(offset + 1)..]);
        return offset + 1 + label.Length;
    }

    /// <summary>One port, read in place.</summary>
    public readonly ref struct Port
    {
        public Port(ushort number, byte flags, ReadOnlySpan<byte> protocol, ReadOnlySpan<byte> name)
        {
            Number = number;
            Flags = flags;
            Protocol = protocol;
            Name = name;
        }

        public ushort Number { get; }

        public byte Flags { get; }

        /// <summary>The <c>_proto</c> label's bytes, lower case.</summary>
        public ReadOnlySpan<byte> Protocol { get; }

        /// <summary>The <c>_name</c> label's bytes, lower case; empty for an unnamed port.</summary>
        public ReadOnlySpan<byte> Name { get; }

        /// <summary>True when an SRV of this port belongs to the set asked for: the plain set (empty labels) or <c>_name._proto</c>.</summary>
        public bool Answers(ReadOnlySpan<byte> name, ReadOnlySpan<byte> protocol) =>
            name.IsEmpty ? (Flags & FirstOfNumber) != 0 : Name.SequenceEqual(name) && Protocol.SequenceEqual(protocol);
    }

    public ref struct PortEnumerator
    {
        private readonly ReadOnlySpan<byte> _blob;
        private int _remaining;
        private int _next;

        internal PortEnumerator(byte[] blob, int start)
        {
            _blob = blob;
            _remaining = BinaryPrimitives.ReadUInt16LittleEndian(blob.AsSpan(start));
            _next = start + sizeof(ushort);
        }

        public Port Current { get; private set; }

        public readonly PortEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_remaining == 0)
            {
                return false;
            }

            _remaining--;
            var number = BinaryPrimitives.ReadUInt16LittleEndian(_blob[_next..]);
            var flags = _blob[_next + 2];
            var protocol = _blob.Slice(_next + 4, _blob[_next + 3]);
            _next += 4 + protocol.Length;
            var name = _blob.Slice(_next + 1, _blob[_next]);
            _next += 1 + name.Length;
            Current = new Port(number, flags, protocol, name);
            return true;
        }
    }
}
