using System.Collections.Immutable;
using System.Runtime.InteropServices;
using KubeDns.Protocol;

namespace KubeDns.Zone;

/// <summary>Who contributed records to a name: the key under which a contribution is replaced or removed.</summary>
internal enum ContributorKind
{
    Static,
    Namespace,
    Service,
}

internal readonly record struct Contributor(ContributorKind Kind, Cluster.Model.ObjectKey Key);

/// <summary>
/// The name index: the names of each contributor, the contributors of each name, and the persistent map
/// readers see. Records are not kept beside the map: a contributor's are a pure function of its stripped
/// object, recomputed when one of its names must be re-encoded (the scale benchmark measured ~250 MiB for a
/// kept copy at 10,000 services and 150,000 endpoints, more than the served snapshot).
/// </summary>
internal sealed partial class ZoneBuilder
{
    private readonly Dictionary<Contributor, byte[][]> _namesOf = [];
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
        var touched = new List<WireName>();
        var current = records?.ByName ?? [];
        if (_namesOf.Remove(contributor, out var previous))
        {
            foreach (var bytes in previous)
            {
                var name = new WireName(bytes);
                if (!current.ContainsKey(name))
                {
                    ref var atName = ref CollectionsMarshal.GetValueRefOrNullRef(_byName, name);
                    atName.Remove(contributor);
                    if (atName.IsEmpty)
                    {
                        _byName.Remove(name);
                    }

                    touched.Add(name);
                }
            }
        }

        if (current.Count > 0)
        {
            var names = new byte[current.Count][];
            var i = 0;
            foreach (var name in current.Keys)
            {
                ref var atName = ref NameContributors.At(_byName, name);
                atName.Add(contributor);
                names[i++] = atName.Name;
                touched.Add(name);
            }

            _namesOf.Add(contributor, names);
        }

        var recomputed = new Dictionary<Contributor, ContributionSet?> { [contributor] = records };
        foreach (var name in touched)
        {
            RefreshNode(name, recomputed);
        }
    }

    /// <summary>Re-encodes one name from its contributors' current records (each contributor computed once per change).</summary>
    private void RefreshNode(WireName name, Dictionary<Contributor, ContributionSet?> recomputed)
    {
        NamesTouched++;
        var hash = DnsName.Hash(name.Bytes);
        var bucket = _names.TryGetValue(hash, out var existing) ? existing : [];
        var index = Array.FindIndex(bucket, node => node.Name.AsSpan().SequenceEqual(name.Bytes));
        if (!_byName.TryGetValue(name, out var contributors))
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

        var contributions = new List<NameContribution>();
        foreach (var contributor in contributors.All)
        {
            if (!recomputed.TryGetValue(contributor, out var set))
            {
                set = ContributionsOf(contributor);
                recomputed.Add(contributor, set);
            }

            if (set is not null && set.ByName.TryGetValue(name, out var contribution))
            {
                contributions.Add(contribution);
            }
        }

        var apexOf = _settings.Authorities.FirstOrDefault(a => a.Apex.AsSpan().SequenceEqual(name.Bytes));
        var node = NodeEncoder.Encode(contributors.Name, contributions, apexOf);
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

    /// <summary>What a contributor puts in the zone now, computed again from the kept cluster state.</summary>
    private ContributionSet? ContributionsOf(Contributor contributor) => contributor.Kind switch
    {
        ContributorKind.Static => StaticNames(),
        ContributorKind.Namespace => _namespaceReferences.ContainsKey(contributor.Key.Name) ? NamespaceNames(contributor.Key.Name) : null,
        ContributorKind.Service => ServiceContributions(contributor.Key),
        _ => null,
    };
}
