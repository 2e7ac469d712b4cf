using System.Buffers.Binary;
using System.Net;
using KubeDns.Zone.Trie;

namespace KubeDns.Zone;

/// <summary>
/// An IP address as a map key (pod and endpoint indexes): its 16 bytes as IPv6 as two 64-bit halves, an IPv4
/// address in its IPv4-mapped form (::ffff:a.b.c.d), 16 B per key. Kubernetes reads an IPv4-mapped address as
/// the IPv4 address too (Go's <c>To4</c>), so the two spellings are one key here, as they are one address there.
/// Two <see cref="ulong"/>s rather than a <see cref="UInt128"/>, whose 16-byte alignment padded the entries;
/// and no IPv6 flag beside them (24 B with it): a trie entry and a dictionary entry per pod and per endpoint
/// address, ~2.4 MiB less at 150,000 pods and 150,000 endpoints (issue 14).
/// </summary>
internal readonly record struct AddressKey(ulong High, ulong Low)
{
    /// <summary>The low half of ::ffff:0.0.0.0, the IPv4-mapped prefix (RFC 4291 §2.5.5.2).</summary>
    private const ulong MappedPrefix = 0xFFFF_0000_0000;

    /// <summary>Trie key operations: the record's own equality and hash.</summary>
    internal sealed class Ops : ITrieKey<AddressKey>
    {
        public static int Hash(AddressKey key) => key.GetHashCode();

        public static bool Equal(AddressKey x, AddressKey y) => x == y;
    }

    public static AddressKey From(ReadOnlySpan<byte> address) => address.Length == 4
        ? new AddressKey(0, MappedPrefix | BinaryPrimitives.ReadUInt32BigEndian(address))
        : new AddressKey(BinaryPrimitives.ReadUInt64BigEndian(address), BinaryPrimitives.ReadUInt64BigEndian(address[8..]));

    /// <summary>
    /// The key of an address spelled in a query name, if it can name a pod or an endpoint: an IPv4 address
    /// spelled as IPv4-mapped IPv6 (<c>--ffff-a00-1</c>, or its ip6.arpa name) does not, as in CoreDNS, which
    /// compares the spellings; only the index keys are one.
    /// </summary>
    public static bool TryFromQuery(ReadOnlySpan<byte> address, out AddressKey key)
    {
        key = From(address);
        return address.Length == 4 || key.High != 0 || (key.Low >> 32) != 0xFFFF;
    }

    public static AddressKey From(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        return From(bytes[..written]);
    }
}
