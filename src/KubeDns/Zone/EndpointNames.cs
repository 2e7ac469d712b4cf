using System.Buffers.Binary;

namespace KubeDns.Zone;

/// <summary>
/// One endpoint name below a service: its lower-case label, one address (4 or 16 bytes), and for a headless
/// service the index of its ports' group in the node's <see cref="ServicePorts"/> (every address of a label has
/// the same group, so the label is one SRV target).
/// </summary>
internal readonly record struct EndpointName(byte[] Label, byte[] Address, ushort PortGroup = 0);

/// <summary>
/// The endpoint names of one service, kept in the service node's data array instead of a zone name (and a
/// PTR name) per endpoint address: <c>label.svc.ns.svc.zone</c> is answered by finding the service node and
/// its label here, and the PTR of an endpoint address by the owners in <see cref="EndpointAddressIndex"/>.
/// At 150,000 endpoints the two names per address cost ~400 B each (issue 14); an entry here ~15 B.
/// Layout: a 32-bit little-endian count (a service may have more than 65,535 endpoint addresses), then per
/// entry the label length, the label, the port group (16-bit little-endian), the address length and the
/// address. A headless service's entries of one label are adjacent, so its SRV answers name each target once. Lookups scan the
/// entries: a service's endpoints, which a rebuild re-encodes anyway.
/// </summary>
internal readonly struct EndpointNames
{
    private readonly byte[] _blob;
    private readonly int _start;

    public EndpointNames(byte[] blob, int start)
    {
        _blob = blob;
        _start = start;
    }

    /// <summary>False when the node has no endpoint names (every node but a service's with endpoints).</summary>
    public bool Exists => _start > 0;

    public int Count => Exists ? BinaryPrimitives.ReadInt32LittleEndian(_blob.AsSpan(_start)) : 0;

    /// <summary>The bytes <paramref name="names"/> take.</summary>
    public static int Size(IReadOnlyList<EndpointName> names)
    {
        var size = sizeof(int);
        foreach (var name in names)
        {
            size += 2 + sizeof(ushort) + name.Label.Length + name.Address.Length;
        }

        return size;
    }

    /// <summary>Writes <paramref name="names"/> to a span of <see cref="Size"/> bytes.</summary>
    public static void Write(Span<byte> destination, IReadOnlyList<EndpointName> names)
    {
        BinaryPrimitives.WriteInt32LittleEndian(destination, names.Count);
        var offset = sizeof(int);
        foreach (var name in names)
        {
            destination[offset++] = (byte)name.Label.Length;
            name.Label.CopyTo(destination[offset..]);
            offset += name.Label.Length;
            BinaryPrimitives.WriteUInt16LittleEndian(destination[offset..], name.PortGroup);
            offset += sizeof(ushort);
            destination[offset++] = (byte)name.Address.Length;
            name.Address.CopyTo(destination[offset..]);
            offset += name.Address.Length;
        }
    }

    /// <summary>True when some entry has this lower-case label.</summary>
    public bool Contains(ReadOnlySpan<byte> label)
    {
        foreach (var entry in this)
        {
            if (entry.Label.SequenceEqual(label))
            {
                return true;
            }
        }

        return false;
    }

    public Enumerator GetEnumerator() => new(_blob, _start);

    /// <summary>One entry, read in place.</summary>
    public readonly ref struct Entry
    {
        public Entry(ReadOnlySpan<byte> label, int portGroup, ReadOnlySpan<byte> address)
        {
            Label = label;
            PortGroup = portGroup;
            Address = address;
        }

        public ReadOnlySpan<byte> Label { get; }

        /// <summary>The label's group in <see cref="ServicePorts"/> (headless services).</summary>
        public int PortGroup { get; }

        public ReadOnlySpan<byte> Address { get; }
    }

    public ref struct Enumerator
    {
        private readonly ReadOnlySpan<byte> _blob;
        private int _remaining;
        private int _next;

        internal Enumerator(byte[] blob, int start)
        {
            _blob = blob;
            _remaining = start > 0 ? BinaryPrimitives.ReadInt32LittleEndian(blob.AsSpan(start)) : 0;
            _next = start + sizeof(int);
        }

        public Entry Current { get; private set; }

        public bool MoveNext()
        {
            if (_remaining == 0)
            {
                return false;
            }

            _remaining--;
            var label = _blob.Slice(_next + 1, _blob[_next]);
            _next += 1 + label.Length;
            var portGroup = BinaryPrimitives.ReadUInt16LittleEndian(_blob[_next..]);
            _next += sizeof(ushort);
            var address = _blob.Slice(_next + 1, _blob[_next]);
            _next += 1 + address.Length;
            Current = new Entry(label, portGroup, address);
            return true;
        }
    }
}
