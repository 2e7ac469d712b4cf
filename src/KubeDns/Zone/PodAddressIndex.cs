using System.Buffers.Binary;
using System.Net;
using System.Text;
using KubeDns.Zone.Trie;

namespace KubeDns.Zone;

/// <summary>
/// Which namespaces have a running pod with a given IP: what <c>pods verified</c> must know to answer
/// <c>a-b-c-d.ns.pod.zone</c>, and nothing more. CoreDNS keeps a zone name per pod; at 150,000 pods that is
/// ~140 MiB here, this index ~50 B per pod. Persistent like the name map: a snapshot holds one version and
/// readers look it up without locks or allocation. The value lists one namespace label per pod holding the
/// IP, so an IP reused by a new pod before the old one's delete arrives stays verified until both are gone.
/// </summary>
internal sealed class PodAddressIndex
{
    private readonly HashTrieBuilder<AddressKey, byte[][], AddressKey.Ops> _owners = new();

    /// <summary>
    /// Each namespace's lower-case label, as a one-label list shared by every address only its pods hold (the
    /// common case; a published list is never changed, so one instance serves them all).
    /// </summary>
    private readonly Dictionary<string, byte[][]> _labels = new(StringComparer.Ordinal);

    public HashTrie<AddressKey, byte[][], AddressKey.Ops> ToImmutable() => _owners.ToImmutable();

    public void Add(string ns, AddressKey address)
    {
        if (!_labels.TryGetValue(ns, out var only))
        {
            only = [Encoding.ASCII.GetBytes(ns.ToLowerInvariant())];
            _labels.Add(ns, only);
        }

        _owners.Set(address, _owners.TryGetValue(address, out var existing) ? [.. existing, only[0]] : only);
    }

    public void Remove(string ns, AddressKey address)
    {
        if (!_owners.TryGetValue(address, out var existing) || !_labels.TryGetValue(ns, out var only))
        {
            return;
        }

        var index = Array.IndexOf(existing, only[0]);
        if (index < 0)
        {
            return;
        }

        if (existing.Length == 1)
        {
            _owners.Remove(address);
        }
        else
        {
            _owners.Set(address, [.. existing[..index], .. existing[(index + 1)..]]);
        }
    }

    /// <summary>True when a pod in the namespace whose lower-case label is given has this address.</summary>
    public static bool Contains(HashTrie<AddressKey, byte[][], AddressKey.Ops> index, AddressKey address, ReadOnlySpan<byte> namespaceLabel)
    {
        if (!index.TryGetValue(address, out var owners))
        {
            return false;
        }

        foreach (var owner in owners)
        {
            if (namespaceLabel.SequenceEqual(owner))
            {
                return true;
            }
        }

        return false;
    }
}
