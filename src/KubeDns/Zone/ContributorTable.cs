namespace KubeDns.Zone;

/// <summary>
/// Small ids for contributors, so that a zone node can name the objects merged into it in 4 bytes each
/// (<see cref="ZoneNode.Contributors"/>) instead of a by-name index beside the zone (a dictionary entry of
/// ~128 B per name with its spare capacity: 44 MiB at 340,000 names, issue 14). Ids are reused once free.
/// </summary>
internal sealed class ContributorTable
{
    private readonly Dictionary<Contributor, int> _ids = [];
    private readonly List<Contributor> _byId = [];
    private readonly Stack<int> _free = new();

    public Contributor this[int id] => _byId[id];

    public int GetOrAdd(Contributor contributor)
    {
        if (_ids.TryGetValue(contributor, out var id))
        {
            return id;
        }

        if (_free.TryPop(out id))
        {
            _byId[id] = contributor;
        }
        else
        {
            id = _byId.Count;
            _byId.Add(contributor);
        }

        _ids.Add(contributor, id);
        return id;
    }

    /// <summary>Frees the id once no node names the contributor any more.</summary>
    public void Release(Contributor contributor)
    {
        if (_ids.Remove(contributor, out var id))
        {
            _byId[id] = default;
            _free.Push(id);
        }
    }
}
