using KubeDns.Protocol;
using KubeDns.Zone.Trie;

namespace KubeDns.Zone;

/// <summary>
/// One immutable version of the whole zone. Readers take the current snapshot with one volatile read and
/// never lock; the builder publishes a new snapshot by one reference swap (see README.md in this folder).
/// Names are keyed by their lower-case wire form, found by its hash without building anything.
/// </summary>
internal sealed class ZoneSnapshot
{
    public ZoneSnapshot(ZoneSettings settings, HashTrie<byte[], byte[], WireNameKey> names,
        HashTrie<PodAddressKey, byte[][], PodAddressKey.Ops> podAddresses, SoaRecord[] soa, uint serial)
    {
        Settings = settings;
        Names = names;
        PodAddresses = podAddresses;
        Soa = soa;
        Serial = serial;
    }

    public ZoneSettings Settings { get; }

    /// <summary>Lower-case wire name → the node's data (<see cref="ZoneNode"/>).</summary>
    public HashTrie<byte[], byte[], WireNameKey> Names { get; }

    /// <summary>Pod IP → namespace labels of the pods holding it; filled in <c>pods verified</c> mode only.</summary>
    public HashTrie<PodAddressKey, byte[][], PodAddressKey.Ops> PodAddresses { get; }

    /// <summary>SOA per <see cref="ZoneAuthority.Index"/>.</summary>
    public SoaRecord[] Soa { get; }

    public uint Serial { get; }

    public int NameCount => Names.Count;

    /// <summary>The node at a name; one whose <see cref="ZoneNode.Exists"/> is false when the name is not in the zone.</summary>
    public ZoneNode Find(ReadOnlySpan<byte> lowerWireName) =>
        Names.TryFind(DnsName.Hash(lowerWireName), new WireNameProbe(lowerWireName), out var name, out var data)
            ? new ZoneNode(name, data)
            : default;

    /// <summary>The zone a name belongs to, or null when the server is not authoritative for it.</summary>
    public ZoneAuthority? AuthorityFor(ReadOnlySpan<byte> lowerWireName, out int labelsBelowApex)
    {
        foreach (var authority in Settings.Authorities)
        {
            if (DnsName.IsAtOrBelow(lowerWireName, authority.Apex, out labelsBelowApex))
            {
                return authority;
            }
        }

        labelsBelowApex = 0;
        return null;
    }
}
