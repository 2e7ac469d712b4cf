using KubeDns.Protocol;

namespace KubeDns.Zone.Trie;

/// <summary>Lower-case wire names as trie keys: the hash the resolver computes from the query's bytes.</summary>
internal sealed class WireNameKey : ITrieKey<byte[]>
{
    public static int Hash(byte[] key) => DnsName.Hash(key);

    public static bool Equal(byte[] x, byte[] y) => x.AsSpan().SequenceEqual(y);
}

/// <summary>Matches a stored name against a name still in a buffer (the query), without copying it.</summary>
internal readonly ref struct WireNameProbe : ITrieProbe<byte[]>
{
    private readonly ReadOnlySpan<byte> _name;

    public WireNameProbe(ReadOnlySpan<byte> name) => _name = name;

    public bool Matches(byte[] key) => _name.SequenceEqual(key);
}
