using System.Collections.Immutable;
using KubeDns.Protocol;

namespace KubeDns.Zone;

/// <summary>
/// One immutable version of the whole zone. Readers take the current snapshot with one volatile read and
/// never lock; the builder publishes a new snapshot by one reference swap (see README.md in this folder).
/// Names are indexed by the hash of their lower-case wire form; a bucket holds the rare colliding names.
/// </summary>
internal sealed class ZoneSnapshot
{
    public ZoneSnapshot(ZoneSettings settings, ImmutableDictionary<int, ZoneNode[]> names,
        ImmutableDictionary<PodAddressKey, byte[][]> podAddresses, SoaRecord[] soa, uint serial, int nameCount)
    {
        Settings = settings;
        Names = names;
        PodAddresses = podAddresses;
        Soa = soa;
        Serial = serial;
        NameCount = nameCount;
    }

    public ZoneSettings Settings { get; }

    public ImmutableDictionary<int, ZoneNode[]> Names { get; }

    /// <summary>Pod IP → namespace labels of the pods holding it; filled in <c>pods verified</c> mode only.</summary>
    public ImmutableDictionary<PodAddressKey, byte[][]> PodAddresses { get; }

    /// <summary>SOA per <see cref="ZoneAuthority.Index"/>.</summary>
    public SoaRecord[] Soa { get; }

    public uint Serial { get; }

    public int NameCount { get; }

    public ZoneNode? Find(ReadOnlySpan<byte> lowerWireName)
    {
        if (!Names.TryGetValue(DnsName.Hash(lowerWireName), out var bucket))
        {
            return null;
        }

        foreach (var node in bucket)
        {
            if (lowerWireName.SequenceEqual(node.Name))
            {
                return node;
            }
        }

        return null;
    }

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
