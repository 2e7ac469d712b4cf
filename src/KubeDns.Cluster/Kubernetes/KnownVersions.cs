using System.Runtime.InteropServices;
using KubeDns.Cluster.Model;

namespace KubeDns.Cluster.Kubernetes;

/// <summary>
/// The resourceVersion of every object delivered to the sink, by key, and which listing last saw it. etcd's
/// versions are integers, and at 150,000 pods a number costs 8 bytes where a string costs 40; a version that
/// is not a number (or does not fit) is stored as 0, which never matches, so such an object is always treated
/// as changed. The listing mark lives in the top bits of the same word: a relist used to collect every listed
/// key in a set of its own to find the deleted ones, which held a new copy of every name (16 MiB at 150,000
/// pods) for the whole relist and left it to the old generation (issue 14).
/// </summary>
internal sealed class KnownVersions
{
    private const int VersionBits = 48; // 2.8e14 etcd revisions: centuries at 10,000 writes a second
    private const ulong VersionMask = (1UL << VersionBits) - 1;

    private readonly Dictionary<ObjectKey, ulong> _entries = [];

    /// <summary>The current listing's mark; it wraps after 65,536 listings, which needs as many aborted in a row to matter.</summary>
    private ulong _listing;

    public int Count => _entries.Count;

    /// <summary>A new listing: objects it does not see are the ones <see cref="RemoveUnseen"/> returns.</summary>
    public void StartListing() => _listing = (_listing + 1) & 0xFFFF;

    /// <summary>Whether the sink already has <paramref name="key"/> at <paramref name="version"/> (0: unknown); marks it seen if so.</summary>
    public bool IsCurrent(ObjectKey key, ulong version)
    {
        ref var entry = ref CollectionsMarshal.GetValueRefOrNullRef(_entries, key);
        if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref entry) || version == 0 || (entry & VersionMask) != version)
        {
            return false;
        }

        entry = Entry(version);
        return true;
    }

    /// <summary>Records the version delivered for <paramref name="key"/>, seen by the current listing.</summary>
    public void Set(ObjectKey key, ulong version) => _entries[key] = Entry(version);

    public bool Remove(ObjectKey key) => _entries.Remove(key);

    /// <summary>Removes and returns the keys the current listing did not see: deleted while unwatched.</summary>
    public List<ObjectKey> RemoveUnseen()
    {
        var unseen = new List<ObjectKey>();
        foreach (var (key, entry) in _entries)
        {
            if (entry >> VersionBits != _listing)
            {
                unseen.Add(key);
            }
        }

        foreach (var key in unseen)
        {
            _entries.Remove(key);
        }

        return unseen;
    }

    /// <summary>A version as stored: the number when it fits the version bits, else 0.</summary>
    public static ulong Parse(string? version) =>
        ulong.TryParse(version, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) && number <= VersionMask ? number : 0;

    private ulong Entry(ulong version) => (_listing << VersionBits) | version;
}
