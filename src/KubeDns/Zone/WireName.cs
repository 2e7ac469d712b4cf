using KubeDns.Protocol;

namespace KubeDns.Zone;

/// <summary>A lower-case wire-format name with value equality, the key of the zone builder's indexes.</summary>
internal readonly struct WireName : IEquatable<WireName>
{
    public WireName(byte[] bytes) => Bytes = bytes;

    public byte[] Bytes { get; }

    public bool Equals(WireName other) => Bytes.AsSpan().SequenceEqual(other.Bytes);

    public override bool Equals(object? obj) => obj is WireName other && Equals(other);

    public override int GetHashCode() => DnsName.Hash(Bytes);

    public override string ToString() => DnsName.ToDotted(Bytes);
}
