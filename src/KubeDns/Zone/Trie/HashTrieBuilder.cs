using System.Numerics;

namespace KubeDns.Zone.Trie;

/// <summary>
/// Makes the next version of a <see cref="HashTrie{TKey, TValue, TOps}"/>. A change copies the nodes on its
/// path once per version; nodes made since the last <see cref="ToImmutable"/> belong to this builder (their
/// owner token) and later changes edit them in place, so loading n entries in one batch copies no node twice
/// per entry. Not thread-safe: one writer, any number of readers of the published versions.
/// </summary>
internal sealed class HashTrieBuilder<TKey, TValue, TOps>
    where TOps : ITrieKey<TKey>
{
    private const int BitsPerLevel = TrieNode<TKey, TValue>.BitsPerLevel;
    private TrieNode<TKey, TValue> _root = TrieNode<TKey, TValue>.Empty;
    private object _owner = new();

    public int Count { get; private set; }

    /// <summary>The current content as an immutable version; later changes copy what it shares.</summary>
    public HashTrie<TKey, TValue, TOps> ToImmutable()
    {
        _owner = new object();
        return new HashTrie<TKey, TValue, TOps>(_root, Count);
    }

    public bool TryGetValue(TKey key, out TValue value) => TryGetEntry(key, out _, out value);

    /// <summary>The stored key equal to <paramref name="key"/> (to share its instance) and its value.</summary>
    public bool TryGetEntry(TKey key, out TKey stored, out TValue value) =>
        _root.TryFind(TOps.Hash(key), new HashTrie<TKey, TValue, TOps>.EqualProbe(key), out stored, out value);

    /// <summary>Adds the entry, or replaces the value (and keeps the stored key) when the key is present.</summary>
    public void Set(TKey key, TValue value)
    {
        _root = Set(_root, 0, TOps.Hash(key), key, value, out var added);
        if (added)
        {
            Count++;
        }
    }

    public bool Remove(TKey key)
    {
        var hash = TOps.Hash(key);
        if (!_root.TryFind(hash, new HashTrie<TKey, TValue, TOps>.EqualProbe(key), out _, out _))
        {
            return false;
        }

        _root = Remove(_root, 0, hash, key);
        Count--;
        return true;
    }

    private TrieNode<TKey, TValue> Set(TrieNode<TKey, TValue> node, int shift, int hash, TKey key, TValue value, out bool added)
    {
        node = node.EditableBy(_owner);
        if (shift >= TrieNode<TKey, TValue>.HashBits)
        {
            var at = IndexOf(node.Keys, key);
            added = at < 0;
            if (added)
            {
                node.Keys = InsertAt(node.Keys, node.Keys.Length, key);
                node.Values = InsertAt(node.Values, node.Values.Length, value);
            }
            else
            {
                node.Values[at] = value;
            }

            return node;
        }

        var bit = TrieNode<TKey, TValue>.Bit(hash, shift);
        if ((node.DataMap & bit) != 0)
        {
            var index = Rank(node.DataMap, bit);
            var existing = node.Keys[index];
            if (TOps.Equal(existing, key))
            {
                node.Values[index] = value;
                added = false;
                return node;
            }

            // Two keys in one slot: both move down into a new child, split on the next bits of their hashes.
            var child = Pair(shift + BitsPerLevel, TOps.Hash(existing), existing, node.Values[index], hash, key, value);
            node.Keys = RemoveAt(node.Keys, index);
            node.Values = RemoveAt(node.Values, index);
            node.DataMap &= ~bit;
            node.Children = InsertAt(node.Children, Rank(node.NodeMap, bit), child);
            node.NodeMap |= bit;
            added = true;
            return node;
        }

        if ((node.NodeMap & bit) != 0)
        {
            var at = Rank(node.NodeMap, bit);
            node.Children[at] = Set(node.Children[at], shift + BitsPerLevel, hash, key, value, out added);
            return node;
        }

        var slot = Rank(node.DataMap, bit);
        node.Keys = InsertAt(node.Keys, slot, key);
        node.Values = InsertAt(node.Values, slot, value);
        node.DataMap |= bit;
        added = true;
        return node;
    }

    /// <summary>Removes a key known to be present; a child left with one entry and no children is folded into its parent.</summary>
    private TrieNode<TKey, TValue> Remove(TrieNode<TKey, TValue> node, int shift, int hash, TKey key)
    {
        node = node.EditableBy(_owner);
        if (shift >= TrieNode<TKey, TValue>.HashBits)
        {
            var at = IndexOf(node.Keys, key);
            node.Keys = RemoveAt(node.Keys, at);
            node.Values = RemoveAt(node.Values, at);
            return node;
        }

        var bit = TrieNode<TKey, TValue>.Bit(hash, shift);
        if ((node.DataMap & bit) != 0)
        {
            var index = Rank(node.DataMap, bit);
            node.Keys = RemoveAt(node.Keys, index);
            node.Values = RemoveAt(node.Values, index);
            node.DataMap &= ~bit;
            return node;
        }

        var childAt = Rank(node.NodeMap, bit);
        var child = Remove(node.Children[childAt], shift + BitsPerLevel, hash, key);
        if (child.Children.Length == 0 && child.Keys.Length <= 1)
        {
            node.Children = RemoveAt(node.Children, childAt);
            node.NodeMap &= ~bit;
            if (child.Keys.Length == 1)
            {
                var slot = Rank(node.DataMap, bit);
                node.Keys = InsertAt(node.Keys, slot, child.Keys[0]);
                node.Values = InsertAt(node.Values, slot, child.Values[0]);
                node.DataMap |= bit;
            }
        }
        else
        {
            node.Children[childAt] = child;
        }

        return node;
    }

    private TrieNode<TKey, TValue> Pair(int shift, int hash1, TKey key1, TValue value1, int hash2, TKey key2, TValue value2)
    {
        if (shift >= TrieNode<TKey, TValue>.HashBits)
        {
            return new TrieNode<TKey, TValue>(0, 0, [key1, key2], [value1, value2], [], _owner);
        }

        var bit1 = TrieNode<TKey, TValue>.Bit(hash1, shift);
        var bit2 = TrieNode<TKey, TValue>.Bit(hash2, shift);
        if (bit1 == bit2)
        {
            return new TrieNode<TKey, TValue>(0, bit1, [], [], [Pair(shift + BitsPerLevel, hash1, key1, value1, hash2, key2, value2)], _owner);
        }

        return bit1 < bit2
            ? new TrieNode<TKey, TValue>(bit1 | bit2, 0, [key1, key2], [value1, value2], [], _owner)
            : new TrieNode<TKey, TValue>(bit1 | bit2, 0, [key2, key1], [value2, value1], [], _owner);
    }

    /// <summary>Where the slot <paramref name="bit"/> sits among the slots set in <paramref name="map"/>.</summary>
    private static int Rank(uint map, uint bit) => BitOperations.PopCount(map & (bit - 1));

    private static int IndexOf(TKey[] keys, TKey key)
    {
        for (var i = 0; i < keys.Length; i++)
        {
            if (TOps.Equal(keys[i], key))
            {
                return i;
            }
        }

        return -1;
    }

    private static T[] InsertAt<T>(T[] array, int index, T item)
    {
        var copy = new T[array.Length + 1];
        Array.Copy(array, copy, index);
        copy[index] = item;
        Array.Copy(array, index, copy, index + 1, array.Length - index);
        return copy;
    }

    private static T[] RemoveAt<T>(T[] array, int index)
    {
        if (array.Length == 1)
        {
            return [];
        }

        var copy = new T[array.Length - 1];
        Array.Copy(array, copy, index);
        Array.Copy(array, index + 1, copy, index, array.Length - index - 1);
        return copy;
    }
}
