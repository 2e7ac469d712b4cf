using KubeDns.Zone.Trie;

namespace KubeDns.Tests.Zone;

/// <summary>The persistent trie against Dictionary as the oracle, with hashes weak enough to collide and to fill deep paths.</summary>
public sealed class HashTrieTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void RandomChanges_MatchADictionary_AndPublishedVersionsNeverChange(int seed)
    {
        RandomChanges<WeakHash>(seed);
        RandomChanges<SpreadHash>(seed);
    }

    private static void RandomChanges<TOps>(int seed)
        where TOps : ITrieKey<int>
    {
        var random = new Random(seed);
        var oracle = new Dictionary<int, int>();
        var builder = new HashTrieBuilder<int, int, TOps>();
        var published = new List<(HashTrie<int, int, TOps> Trie, Dictionary<int, int> Content)>();
        for (var step = 0; step < 20_000; step++)
        {
            var key = random.Next(3_000);
            if (random.Next(3) == 0)
            {
                Assert.Equal(oracle.Remove(key), builder.Remove(key));
            }
            else
            {
                oracle[key] = step;
                builder.Set(key, step);
            }

            if (step % 1_000 == 0)
            {
                published.Add((builder.ToImmutable(), new Dictionary<int, int>(oracle)));
            }
        }

        AssertSame(oracle, builder.ToImmutable());
        foreach (var (trie, content) in published)
        {
            AssertSame(content, trie);
        }
    }

    [Fact]
    public void EqualHashes_AreKeptApart_AndRemovedOneByOne()
    {
        var builder = new HashTrieBuilder<int, int, ConstantHash>();
        for (var key = 0; key < 10; key++)
        {
            builder.Set(key, key * 10);
        }

        var full = builder.ToImmutable();
        for (var key = 0; key < 9; key++)
        {
            Assert.True(builder.Remove(key));
        }

        var last = builder.ToImmutable();
        Assert.Equal(10, full.Count);
        Assert.All(Enumerable.Range(0, 10), key => Assert.True(full.TryGetValue(key, out var value) && value == key * 10));
        Assert.Equal([new KeyValuePair<int, int>(9, 90)], last.Entries());
        Assert.False(last.TryGetValue(3, out _));
        Assert.False(builder.Remove(3));
    }

    private static void AssertSame<TOps>(Dictionary<int, int> expected, HashTrie<int, int, TOps> trie)
        where TOps : ITrieKey<int>
    {
        Assert.Equal(expected.Count, trie.Count);
        Assert.Equal(expected.OrderBy(e => e.Key), trie.Entries().OrderBy(e => e.Key));
        foreach (var (key, value) in expected)
        {
            Assert.True(trie.TryGetValue(key, out var found));
            Assert.Equal(value, found);
        }

        for (var absent = 3_000; absent < 3_100; absent++)
        {
            Assert.False(trie.TryGetValue(absent, out _));
        }
    }

    /// <summary>Few distinct hashes, spread over every level: keys share paths down to the collision nodes.</summary>
    private sealed class WeakHash : ITrieKey<int>
    {
        public static int Hash(int key) => (int)((uint)(key % 97) * 0x9E3779B1u);

        public static bool Equal(int x, int y) => x == y;
    }

    /// <summary>Distinct, well-spread hashes: entries mostly inline, a few levels deep.</summary>
    private sealed class SpreadHash : ITrieKey<int>
    {
        public static int Hash(int key) => (int)((uint)key * 0x9E3779B1u);

        public static bool Equal(int x, int y) => x == y;
    }

    private sealed class ConstantHash : ITrieKey<int>
    {
        public static int Hash(int key) => 42;

        public static bool Equal(int x, int y) => x == y;
    }
}
