namespace KubeDns.Zone;

/// <summary>
/// One existing name in the zone with its record sets, all of them in one array (<see cref="RecordSets"/>).
/// A node with no sets is an empty non-terminal (the name exists, so other types get NODATA, RFC 8020).
/// </summary>
internal sealed class ZoneNode
{
    private readonly byte[] _sets;

    public ZoneNode(byte[] name, byte[] sets, byte[]? cnameTarget, ZoneAuthority? apexOf)
    {
        Name = name;
        _sets = sets;
        CnameTarget = cnameTarget;
        ApexOf = apexOf;
    }

    /// <summary>Lower-case wire name.</summary>
    public byte[] Name { get; }

    public RecordSets Sets => new(_sets);

    /// <summary>Target of the CNAME at this name, lower-case wire; null when there is none.</summary>
    public byte[]? CnameTarget { get; }

    /// <summary>Set at a zone apex, whose SOA lives in the snapshot because its serial moves with every change.</summary>
    public ZoneAuthority? ApexOf { get; }

    public RecordSet? Find(ushort type)
    {
        foreach (var set in Sets)
        {
            if (set.Type == type)
            {
                return set;
            }
        }

        return null;
    }
}
