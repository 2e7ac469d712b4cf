using System.Buffers.Binary;
using System.Net;
using System.Text;
using KubeDns.Zone.Trie;

namespace KubeDns.Zone;

/// <summary>A pod IP as a map key: the address bytes and whether they are IPv6, so 1.2.3.4 and ::ffff:1.2.3.4 differ.</summary>
internal readonly record struct PodAddressKey(UInt128 Address, bool IsV6)
{
    /// <summary>Trie key operations: the record's own equality and hash.</summary>
    internal sealed class Ops : ITrieKey<PodAddressKey>
    {
        public static int Hash(PodAddressKey key) => key.GetHashCode();

        public static bool Equal(PodAddressKey x, PodAddressKey y) => x == y;
    }

    public static PodAddressKey From(ReadOnlySpan<byte> address) => address.Length == 4
        ? new PodAddressKey(BinaryPrimitives.ReadUInt32BigEndian(address), IsV6: false)
        : new PodAddressKey(BinaryPrimitives.ReadUInt128BigEndian(address), IsV6: true);

    public static PodAddressKey From(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        return From(bytes[..written]);
    }
}

/// <summary>
/// Which namespaces have a running pod with a given IP: what <c>pods verified</c> must know to answer
/// <c>a-b-c-d.ns.pod.zone</c>, and nothing more. CoreDNS keeps a zone name per pod; at 150,000 pods that is
/// ~140 MiB here, this index ~50 B per pod. Persistent like the name map: a snapshot holds one version and
/// readers look it up without locks or allocation. The value lists one namespace label per pod holding the
/// IP, so an IP reused by a new pod before the old one's delete arrives stays verified until both are gone.
/// </summary>
internal sealed class PodAddressIndex
{
    private readonly HashTrieBuilder<PodAddressKey, byte[][], PodAddressKey.Ops> _owners = new();

    /// <summary>
    /// Each namespace's lower-case label, as a one-label list shared by every address only its pods hold (the
    /// common case; a published list is never changed, so one instance serves them all).
    /// </summary>
    private readonly Dictionary<string, byte[][]> _labels = new(StringComparer.Ordinal);

    public HashTrie<PodAddressKey, byte[][], PodAddressKey.Ops> ToImmutable() => _owners.ToImmutable();

    public void Add(string ns, PodAddressKey address)
    {
        if (!_labels.TryGetValue(ns, out var only))
        {
            only = [Encoding.ASCII.GetBytes(ns.ToLowerInvariant())];
            _labels.Add(ns, only);
        }

        _owners.Set(address, _owners.TryGetValue(address, out var existing) ? [.. existing, only[0]] : only);
    }

    public void Remove(string ns, PodAddressKey address)
    {
        if (!_owners.TryGetValue(address, out var existing) || !_labels.TryGetValue(ns, out var only))
        {
            return;
        }

        var index = Array.IndexOf(existing, only[0]);
        if (index < 0)
        {
            return;
        }

        if (existing.Length == 1)
        {
            _owners.Remove(address);
        }
        else
        {
            _owners.Set(address, [.. existing[..index], .. existing[(index + 1)..]]);
        }
    }

    /// <summary>True when a pod in the namespace whose lower-case label is given has this address.</summary>
    public static bool Contains(HashTrie<PodAddressKey, byte[][], PodAddressKey.Ops> index, PodAddressKey address, ReadOnlySpan<byte> namespaceLabel)
    {
        if (!index.TryGetValue(address, out var owners))
        {
            return false;
        }

        foreach (var owner in owners)
        {
            if (namespaceLabel.SequenceEqual(owner))
            {
                return true;
            }
        }

        return false;
    }
}
