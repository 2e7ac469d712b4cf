namespace KubeDns.Upstream;

/// <summary>
/// A cache key: the query's flags that change the answer (EDNS present, DO), QTYPE, QCLASS and the lower-case
/// wire name, as one byte string. Looked up straight from a stack buffer through the comparer's alternate
/// lookup, so a cache hit builds no key object.
/// </summary>
internal sealed class CacheKey(byte[] bytes)
{
    /// <summary>Flags byte + type + class.</summary>
    public const int PrefixLength = 5;

    public byte[] Bytes { get; } = bytes;

    /// <summary>Writes the key of a question into <paramref name="key"/> (at least 260 bytes); returns its length.</summary>
    public static int Write(Span<byte> key, ReadOnlySpan<byte> lowerName, ushort type, ushort qclass, bool hasOpt, bool dnssecOk)
    {
        key[0] = (byte)((hasOpt ? 1 : 0) | (dnssecOk ? 2 : 0));
        key[1] = (byte)(type >> 8);
        key[2] = (byte)type;
        key[3] = (byte)(qclass >> 8);
        key[4] = (byte)qclass;
        lowerName.CopyTo(key[PrefixLength..]);
        return PrefixLength + lowerName.Length;
    }

    /// <summary>The question a key was written from (what a prefetch asks again).</summary>
    public static (ReadOnlyMemory<byte> Name, ushort Type, ushort Class, bool HasOpt, bool DnssecOk) Read(byte[] key) =>
        (key.AsMemory(PrefixLength), (ushort)((key[1] << 8) | key[2]), (ushort)((key[3] << 8) | key[4]), (key[0] & 1) != 0, (key[0] & 2) != 0);
}

/// <summary>Byte-wise equality of keys, and of a key with a span (the alternate lookup of a cache hit).</summary>
internal sealed class CacheKeyComparer : IEqualityComparer<CacheKey>, IAlternateEqualityComparer<ReadOnlySpan<byte>, CacheKey>
{
    public static CacheKeyComparer Instance { get; } = new();

    public bool Equals(CacheKey? x, CacheKey? y) => ReferenceEquals(x, y) || (x is not null && y is not null && x.Bytes.AsSpan().SequenceEqual(y.Bytes));

    public int GetHashCode(CacheKey obj) => GetHashCode(obj.Bytes.AsSpan());

    public bool Equals(ReadOnlySpan<byte> alternate, CacheKey other) => alternate.SequenceEqual(other.Bytes);

    public int GetHashCode(ReadOnlySpan<byte> alternate)
    {
        var hash = default(HashCode);
        hash.AddBytes(alternate);
        return hash.ToHashCode();
    }

    public CacheKey Create(ReadOnlySpan<byte> alternate) => new(alternate.ToArray());
}
