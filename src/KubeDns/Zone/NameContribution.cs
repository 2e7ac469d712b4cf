namespace KubeDns.Zone;

/// <summary>One resource record's content, before encoding: TYPE, TTL and RDATA.</summary>
internal sealed record ZoneRecord(ushort Type, uint Ttl, byte[] Data);

/// <summary>
/// What one cluster object (a Service, a Pod, a Namespace) puts at one name. Several objects may contribute to
/// the same name (two services selecting one endpoint IP both add a PTR); the zone node is their union.
/// A contribution with no records still makes the name exist (an empty non-terminal: NODATA, not NXDOMAIN).
/// </summary>
internal sealed class NameContribution
{
    public List<ZoneRecord> Records { get; } = [];

    /// <summary>A service's endpoint names below this name (<see cref="EndpointNames"/>), not names of their own.</summary>
    public List<EndpointName> Endpoints { get; } = [];

    /// <summary>A service's ports, from which its SRV answers are written (<see cref="ServicePorts"/>).</summary>
    public ServicePortTable? Ports { get; set; }

    /// <summary>Set for ExternalName services: the in-zone part of a CNAME chain is followed from here.</summary>
    public byte[]? CnameTarget { get; set; }
}
