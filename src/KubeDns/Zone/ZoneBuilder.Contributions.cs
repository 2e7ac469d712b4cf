using System.Collections.Immutable;
using KubeDns.Protocol;

namespace KubeDns.Zone;

/// <summary>Who contributed records to a name: the key under which a contribution is replaced or removed.</summary>
internal enum ContributorKind
{
    Static,
    Namespace,
    Service,
    Pod,
}

internal readonly record struct Contributor(ContributorKind Kind, Cluster.Model.ObjectKey Key);

/// <summary>The name index: contributions by name and by contributor, and the persistent map readers see.</summary>
internal sealed partial class ZoneBuilder
{
    private readonly Dictionary<Contributor, ContributionSet> _byContributor = [];
    private readonly Dictionary<WireName, NameContributors> _byName = [];

    /// <summary>
    /// Hash of the lower-case wire name → the nodes with that hash. A persistent map: each change costs
    /// O(log n) and leaves every published snapshot untouched.
    /// </summary>
    private readonly ImmutableDictionary<int, ZoneNode[]>.Builder _names = ImmutableDictionary.CreateBuilder<int, ZoneNode[]>();

    private int _nameCount;

    /// <summary>Names re-encoded since the last <see cref="Publish"/>: the cost of a change, for tests and metrics.</summary>
    public int NamesTouched { get; private set; }

    /// <summary>Replaces everything one contributor puts in the zone; only the names it touched are re-encoded.</summary>
    private void SetContributions(Contributor contributor, ContributionSet? records)
    {
        var touched = new HashSet<WireName>();
        if (_byContributor.Remove(contributor, out var previous))
        {
            foreach (var name in previous.ByName.Keys)
            {
                var atName = _byName[name];
                atName.Remove(contributor);
                if (atName.IsEmpty)
                {
                    _byName.Remove(name);
                }

                touched.Add(name);
            }
        }

        if (records is { ByName.Count: > 0 })
        {
            _byContributor.Add(contributor, records);
            foreach (var (name, contribution) in records.ByName)
            {
                if (!_byName.TryGetValue(name, out var atName))
                {
                    atName = new NameContributors();
                    _byName.Add(name, atName);
                }

                atName.Set(contributor, contribution);
                touched.Add(name);
            }
        }

        foreach (var name in touched)
        {
            RefreshNode(name);
        }
    }

    private void RefreshNode(WireName name)
    {
        NamesTouched++;
        var hash = DnsName.Hash(name.Bytes);
        var bucket = _names.TryGetValue(hash, out var existing) ? existing : [];
        var index = Array.FindIndex(bucket, node => node.Name.AsSpan().SequenceEqual(name.Bytes));
        if (!_byName.TryGetValue(name, out var contributions))
        {
            if (index >= 0)
            {
                _nameCount--;
                var remaining = bucket.Where((_, i) => i != index).ToArray();
                if (remaining.Length == 0)
                {
                    _names.Remove(hash);
                }
                else
                {
                    _names[hash] = remaining;
                }
            }

            return;
        }

        var apexOf = _settings.Authorities.FirstOrDefault(a => a.Apex.AsSpan().SequenceEqual(name.Bytes));
        var node = NodeEncoder.Encode(name.Bytes, contributions.Values, apexOf);
        if (index >= 0)
        {
            var copy = (ZoneNode[])bucket.Clone();
            copy[index] = node;
            _names[hash] = copy;
        }
        else
        {
            _nameCount++;
            _names[hash] = [.. bucket, node];
        }
    }
}
