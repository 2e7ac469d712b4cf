using System.Runtime.InteropServices;

namespace KubeDns.Zone;

/// <summary>
/// Who contributes to one name, and the name's one shared <c>byte[]</c> (the index key, every contributor's
/// name list and the zone node all point at it). A struct held inside the by-name dictionary: almost every
/// name has exactly one contributor, so the first is inline and an array appears only with a second (two
/// services selecting one endpoint IP both put a PTR at its reverse name). No records are kept here: they
/// are recomputed from the contributor's stripped object when the name must be re-encoded (see README.md).
/// </summary>
internal struct NameContributors
{
    public byte[] Name;
    private Contributor _first;
    private bool _hasFirst;
    private Contributor[]? _more;

    public readonly bool IsEmpty => !_hasFirst;

    public void Add(Contributor contributor)
    {
        if (!_hasFirst)
        {
            (_first, _hasFirst) = (contributor, true);
        }
        else if (_first != contributor && (_more is null || Array.IndexOf(_more, contributor) < 0))
        {
            _more = [.. _more ?? [], contributor];
        }
    }

    public void Remove(Contributor contributor)
    {
        if (_hasFirst && _first == contributor)
        {
            if (_more is { Length: > 0 })
            {
                _first = _more[0];
                _more = _more.Length == 1 ? null : _more[1..];
            }
            else
            {
                (_first, _hasFirst) = (default, false);
            }
        }
        else if (_more is not null && Array.IndexOf(_more, contributor) is var index and >= 0)
        {
            _more = _more.Length == 1 ? null : [.. _more[..index], .. _more[(index + 1)..]];
        }
    }

    /// <summary>The contributors, first added first (the order records appear in answers).</summary>
    public readonly IEnumerable<Contributor> All => _more is null ? (_hasFirst ? [_first] : []) : [_first, .. _more];

    /// <summary>The entry for <paramref name="name"/>, added empty (pointing at these bytes) if absent.</summary>
    public static ref NameContributors At(Dictionary<WireName, NameContributors> index, WireName name)
    {
        ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(index, name, out var existed);
        if (!existed)
        {
            entry.Name = name.Bytes;
        }

        return ref entry;
    }
}
