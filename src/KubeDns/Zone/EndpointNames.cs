using System.Buffers.Binary;

namespace KubeDns.Zone;

/// <summary>One endpoint name below a service: its lower-case label and one address (4 or 16 bytes).</summary>
internal readonly record struct EndpointName(byte[] Label, byte[] Address);

/// <summary>
/// The endpoint names of one service, kept in the service node's data array instead of a zone name (and a
/// PTR name) per endpoint address: <c>label.svc.ns.svc.zone</c> is answered by finding the service node and
/// its label here, and the PTR of an endpoint address by the owners in <see cref="EndpointAddressIndex"/>.
/// At 150,000 endpoints the two names per address cost ~400 B each (issue 14); an entry here ~15 B.
/// Layout: a 32-bit little-endian count (a service may have more than 65,535 endpoint addresses), then per entry the label length, the label, the address length and
/// the address. Lookups scan the entries: a service's endpoints, which a rebuild re-encodes anyway.
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
            size += 2 + name.Label.Length + name.Address.Length;
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
        public Entry(ReadOnlySpan<byte> label, ReadOnlySpan<byte> address)
        {
            Label = label;
            Address = address;
        }

        public ReadOnlySpan<byte> Label { get; }

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
            var address = _blob.Slice(_next + 1, _blob[_next]);
            _next += 1 + address.Length;
            Current = new Entry(label, address);
            return true;
        }
    }
}
