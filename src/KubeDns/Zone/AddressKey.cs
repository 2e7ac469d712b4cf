using System.Buffers.Binary;
using System.Net;
using KubeDns.Zone.Trie;

namespace KubeDns.Zone;

/// <summary>
/// An IP address as a map key (pod and endpoint indexes): the address bytes as two 64-bit halves and whether
/// they are IPv6, so 1.2.3.4 and ::ffff:1.2.3.4 differ. Two <see cref="ulong"/>s rather than a
/// <see cref="UInt128"/>, whose 16-byte alignment made the key 32 B where this is 24 (a trie entry per pod and
/// per endpoint address: ~2.4 MiB at 300,000, issue 14).
/// </summary>
internal readonly record struct AddressKey(ulong High, ulong Low, bool IsV6)
{
    /// <summary>Trie key operations: the record's own equality and hash.</summary>
    internal sealed class Ops : ITrieKey<AddressKey>
    {
        public static int Hash(AddressKey key) => key.GetHashCode();

        public static bool Equal(AddressKey x, AddressKey y) => x == y;
    }

    public static AddressKey From(ReadOnlySpan<byte> address) => address.Length == 4
        ? new AddressKey(0, BinaryPrimitives.ReadUInt32BigEndian(address), IsV6: false)
        : new AddressKey(BinaryPrimitives.ReadUInt64BigEndian(address), BinaryPrimitives.ReadUInt64BigEndian(address[8..]), IsV6: true);

    public static AddressKey From(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        return From(bytes[..written]);
    }
}
