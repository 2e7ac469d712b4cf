using System.Numerics;

namespace KubeDns.Zone.Trie;

/// <summary>
/// One node of a <see cref="HashTrie{TKey, TValue, TOps}"/>: entries inline (<see cref="Keys"/> and
/// <see cref="Values"/> in slot order, the slots named by <see cref="DataMap"/>) and children (named by
/// <see cref="NodeMap"/>). Below the last level of hash bits a node holds entries whose hashes are equal, in
/// no order, with both maps zero. A node whose <see cref="Owner"/> is the builder's current token was made
/// since the last published version and is edited in place; any other node is shared and copied first.
/// </summary>
internal sealed class TrieNode<TKey, TValue>
{
    internal const int BitsPerLevel = 5;
    internal const int HashBits = 32;

    internal TrieNode(uint dataMap, uint nodeMap, TKey[] keys, TValue[] values, TrieNode<TKey, TValue>[] children, object? owner)
    {
        DataMap = dataMap;
        NodeMap = nodeMap;
        Keys = keys;
        Values = values;
        Children = children;
        Owner = owner;
    }

    public static TrieNode<TKey, TValue> Empty { get; } = new(0, 0, [], [], [], owner: null);

    public uint DataMap { get; set; }

    public uint NodeMap { get; set; }

    public TKey[] Keys { get; set; }

    public TValue[] Values { get; set; }

    public TrieNode<TKey, TValue>[] Children { get; set; }

    public object? Owner { get; }

    /// <summary>The slot of <paramref name="hash"/> at this level, as a one-bit mask.</summary>
    public static uint Bit(int hash, int shift) => 1u << (int)(((uint)hash >> shift) & 31);

    /// <summary>This node if <paramref name="owner"/> may edit it, else a copy (arrays too) it may edit in place.</summary>
    public TrieNode<TKey, TValue> EditableBy(object owner) =>
        ReferenceEquals(Owner, owner)
            ? this
            : new TrieNode<TKey, TValue>(DataMap, NodeMap, (TKey[])Keys.Clone(), (TValue[])Values.Clone(), (TrieNode<TKey, TValue>[])Children.Clone(), owner);

    /// <summary>The entry whose hash is <paramref name="hash"/> and whose key <paramref name="probe"/> matches, searched from this node.</summary>
    public bool TryFind<TProbe>(int hash, scoped in TProbe probe, out TKey key, out TValue value)
        where TProbe : ITrieProbe<TKey>, allows ref struct
    {
        var node = this;
        for (var shift = 0; ; shift += BitsPerLevel)
        {
            if (shift >= HashBits)
            {
                // A collision node: entries whose whole hashes are equal, compared one by one.
                for (var i = 0; i < node.Keys.Length; i++)
                {
                    if (probe.Matches(node.Keys[i]))
                    {
                        (key, value) = (node.Keys[i], node.Values[i]);
                        return true;
                    }
                }

                break;
            }

            var bit = Bit(hash, shift);
            if ((node.DataMap & bit) != 0)
            {
                var index = BitOperations.PopCount(node.DataMap & (bit - 1));
                if (probe.Matches(node.Keys[index]))
                {
                    (key, value) = (node.Keys[index], node.Values[index]);
                    return true;
                }

                break;
            }

            if ((node.NodeMap & bit) == 0)
            {
                break;
            }

            node = node.Children[BitOperations.PopCount(node.NodeMap & (bit - 1))];
        }

        (key, value) = (default!, default!);
        return false;
    }
}
