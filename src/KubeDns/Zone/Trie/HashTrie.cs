namespace KubeDns.Zone.Trie;

/// <summary>How a trie hashes and compares its keys (static, so a lookup calls no interface through an object).</summary>
internal interface ITrieKey<TKey>
{
    static abstract int Hash(TKey key);

    static abstract bool Equal(TKey x, TKey y);
}

/// <summary>Matches a stored key against something that is not one (a name still in the query's bytes).</summary>
internal interface ITrieProbe<TKey>
{
    bool Matches(TKey key);
}

/// <summary>
/// An immutable hash map as a compressed hash trie (CHAMP: Steindorfer and Vinju, OOPSLA 2015): 32-way
/// nodes addressed by 5 bits of the hash at a time, entries held inline in their node, a bitmap saying which
/// slots hold an entry and which a child. One version is never changed once published, so readers need no
/// lock; <see cref="HashTrieBuilder{TKey, TValue, TOps}"/> makes the next version, copying only the nodes on
/// the changed paths. It replaces <c>ImmutableDictionary</c> (an AVL node of 64-96 B per entry plus a bucket
/// array) with ~16-40 B per entry and a node per ~10 entries: at 340,000 zone names ~20 MiB less (issue 14).
/// </summary>
internal sealed class HashTrie<TKey, TValue, TOps>
    where TOps : ITrieKey<TKey>
{
    internal HashTrie(TrieNode<TKey, TValue> root, int count)
    {
        Root = root;
        Count = count;
    }

    public int Count { get; }

    internal TrieNode<TKey, TValue> Root { get; }

    public bool TryGetValue(TKey key, out TValue value) =>
        TryFind(TOps.Hash(key), new EqualProbe(key), out _, out value);

    /// <summary>The entry whose hash is <paramref name="hash"/> and whose key <paramref name="probe"/> matches; no allocation.</summary>
    public bool TryFind<TProbe>(int hash, scoped in TProbe probe, out TKey key, out TValue value)
        where TProbe : ITrieProbe<TKey>, allows ref struct => Root.TryFind(hash, probe, out key, out value);

    /// <summary>Every entry, in no particular order (tests and diagnostics; allocates an iterator).</summary>
    public IEnumerable<KeyValuePair<TKey, TValue>> Entries() => Walk(Root);

    private static IEnumerable<KeyValuePair<TKey, TValue>> Walk(TrieNode<TKey, TValue> node)
    {
        for (var i = 0; i < node.Keys.Length; i++)
        {
            yield return new KeyValuePair<TKey, TValue>(node.Keys[i], node.Values[i]);
        }

        foreach (var child in node.Children)
        {
            foreach (var entry in Walk(child))
            {
                yield return entry;
            }
        }
    }

    internal readonly struct EqualProbe(TKey key) : ITrieProbe<TKey>
    {
        public bool Matches(TKey other) => TOps.Equal(key, other);
    }
}
