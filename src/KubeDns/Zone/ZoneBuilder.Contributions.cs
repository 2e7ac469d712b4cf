using KubeDns.Zone.Trie;

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
/// The name index: the names of each contributor, and the persistent map readers see, whose nodes name
/// their own contributors (<see cref="ZoneNode.Contributors"/>, ids from <see cref="ContributorTable"/>).
/// Records are not kept beside the map: a contributor's are a pure function of its stripped object,
/// recomputed when one of its names must be re-encoded (the scale benchmark measured ~250 MiB for a kept copy
/// at 10,000 services and 150,000 endpoints, more than the served snapshot).
/// </summary>
internal sealed partial class ZoneBuilder
{
    /// <summary>Each contributor's names; every name's array is the map's key (one instance per name).</summary>
    private readonly Dictionary<Contributor, byte[][]> _namesOf = [];
    private readonly ContributorTable _contributors = new();

    /// <summary>Lower-case wire name → node data. A persistent map: each change copies O(log n) small nodes and
    /// leaves every published snapshot untouched.</summary>
    private readonly HashTrieBuilder<byte[], byte[], WireNameKey> _names = new();

    /// <summary>Names re-encoded since the last <see cref="Publish"/>: the cost of a change, for tests and metrics.</summary>
    public int NamesTouched { get; private set; }

    /// <summary>Replaces everything one contributor puts in the zone; only the names it touched are re-encoded.</summary>
    private void SetContributions(Contributor contributor, ContributionSet? records)
    {
        var current = records?.ByName ?? [];
        var hadNames = _namesOf.Remove(contributor, out var previous);
        if (!hadNames && current.Count == 0)
        {
            return;
        }

        var id = _contributors.GetOrAdd(contributor);
        var recomputed = new Dictionary<Contributor, ContributionSet?> { [contributor] = records };
        foreach (var bytes in previous ?? [])
        {
            if (!current.ContainsKey(new WireName(bytes)))
            {
                RefreshNode(bytes, id, joins: false, recomputed);
            }
        }

        if (current.Count == 0)
        {
            _contributors.Release(contributor);
            return;
        }

        var names = new byte[current.Count][];
        var i = 0;
        foreach (var name in current.Keys)
        {
            names[i++] = RefreshNode(name.Bytes, id, joins: true, recomputed);
        }

        _namesOf.Add(contributor, names);
    }

    /// <summary>
    /// Re-encodes one name after contributor <paramref name="id"/> joined it (or still contributes) or left it,
    /// from its contributors' current records (each contributor computed once per change). Returns the name's
    /// one shared array.
    /// </summary>
    private byte[] RefreshNode(byte[] name, int id, bool joins, Dictionary<Contributor, ContributionSet?> recomputed)
    {
        NamesTouched++;
        var exists = _names.TryGetEntry(name, out var stored, out var data);
        var ids = new List<int>(exists ? new ZoneNode(stored, data).Contributors.ToArray() : []);
        if (!joins)
        {
            ids.Remove(id);
        }
        else if (!ids.Contains(id))
        {
            ids.Add(id);
        }

        if (exists)
        {
            name = stored;
        }

        if (ids.Count == 0)
        {
            _names.Remove(name);
            return name;
        }

        var contributions = new List<NameContribution>();
        foreach (var contributorId in ids)
        {
            var contributor = _contributors[contributorId];
            if (!recomputed.TryGetValue(contributor, out var set))
            {
                set = ContributionsOf(contributor);
                recomputed.Add(contributor, set);
            }

            if (set is not null && set.ByName.TryGetValue(new WireName(name), out var contribution))
            {
                contributions.Add(contribution);
            }
        }

        var apex = _settings.Authorities.FirstOrDefault(a => a.Apex.AsSpan().SequenceEqual(name));
        _names.Set(name, NodeEncoder.Encode(ids.ToArray(), contributions, apex?.Index ?? -1));
        return name;
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
