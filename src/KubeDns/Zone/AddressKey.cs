using System.Buffers.Binary;
using System.Net;
using KubeDns.Zone.Trie;

namespace KubeDns.Zone;

/// <summary>An IP address as a map key (pod and endpoint indexes): the address bytes and whether they are IPv6, so 1.2.3.4 and ::ffff:1.2.3.4 differ.</summary>
internal readonly record struct AddressKey(UInt128 Address, bool IsV6)
{
    /// <summary>Trie key operations: the record's own equality and hash.</summary>
    internal sealed class Ops : ITrieKey<AddressKey>
    {
        public static int Hash(AddressKey key) => key.GetHashCode();

        public static bool Equal(AddressKey x, AddressKey y) => x == y;
    }

    public static AddressKey From(ReadOnlySpan<byte> address) => address.Length == 4
        ? new AddressKey(BinaryPrimitives.ReadUInt32BigEndian(address), IsV6: false)
        : new AddressKey(BinaryPrimitives.ReadUInt128BigEndian(address), IsV6: true);

    public static AddressKey From(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        return From(bytes[..written]);
    }
}
