namespace KubeDns.Zone;

/// <summary>
/// A zone the server is authoritative for: the cluster domain, and the reverse trees in-addr.arpa and
/// ip6.arpa (as CoreDNS's default Corefile serves them). <see cref="Index"/> selects its SOA in a snapshot.
/// </summary>
internal sealed class ZoneAuthority
{
    public ZoneAuthority(int index, byte[] apex)
    {
        Index = index;
        Apex = apex;
    }

    public int Index { get; }

    /// <summary>Lower-case wire name of the apex.</summary>
    public byte[] Apex { get; }
}

/// <summary>A zone's SOA record, encoded for the answer section (owner = question) and the authority section.</summary>
internal sealed record SoaRecord(RecordSet Answer, byte[] Authority);
