namespace KubeDns.Zone;

/// <summary>Compares byte arrays by content (RDATA, owner names), for de-duplication at build time.</summary>
internal sealed class ByteContentComparer : IEqualityComparer<byte[]>
{
    public static ByteContentComparer Instance { get; } = new();

    public bool Equals(byte[]? x, byte[]? y) => x is null || y is null ? ReferenceEquals(x, y) : x.AsSpan().SequenceEqual(y);

    public int GetHashCode(byte[] obj)
    {
        var hash = new HashCode();
        hash.AddBytes(obj);
        return hash.ToHashCode();
    }
}
