namespace KubeDns.Cluster;

/// <summary>
/// Tracks whether every registered source has delivered its first complete view of the cluster.
/// Until then DNS answers SERVFAIL where it would answer NXDOMAIN (resolvers cache NXDOMAIN).
/// </summary>
public sealed class ClusterSyncState
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, bool> _sources = new(StringComparer.Ordinal);
    private volatile bool _allSynced;

    /// <summary>True once every registered source has synced (and stays true).</summary>
    public bool AllSynced => _allSynced;

    /// <summary>Names of the sources that have not yet synced, for readiness reasons.</summary>
    public IReadOnlyList<string> Pending
    {
        get
        {
            lock (_gate)
            {
                return [.. _sources.Where(s => !s.Value).Select(s => s.Key)];
            }
        }
    }

    public void Register(string source)
    {
        lock (_gate)
        {
            _sources.TryAdd(source, false);
            _allSynced = false;
        }
    }

    public void MarkSynced(string source)
    {
        lock (_gate)
        {
            _sources[source] = true;
            _allSynced = _sources.Values.All(synced => synced);
        }
    }
}
