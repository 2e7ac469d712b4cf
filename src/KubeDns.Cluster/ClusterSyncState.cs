namespace KubeDns.Cluster;

/// <summary>
/// Tracks whether every registered source has delivered its first complete view of the cluster.
/// Until then DNS answers SERVFAIL where it would answer NXDOMAIN (resolvers cache NXDOMAIN).
/// </summary>
public sealed class ClusterSyncState
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, bool> _sources = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _problems = new(StringComparer.Ordinal);
    private volatile bool _allSynced;

    /// <summary>True once every registered source has synced (and stays true).</summary>
    public bool AllSynced => _allSynced;

    /// <summary>Names of every registered source.</summary>
    public IReadOnlyList<string> Sources
    {
        get
        {
            lock (_gate)
            {
                return [.. _sources.Keys];
            }
        }
    }

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

    /// <summary>
    /// What is wrong with each source right now (the API server unreachable, a permission missing), for
    /// readiness and metrics detail. A synced source with a problem keeps serving its last state.
    /// </summary>
    public IReadOnlyDictionary<string, string> Problems
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, string>(_problems, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Records the current problem of a source, or clears it with null.</summary>
    public void SetProblem(string source, string? problem)
    {
        lock (_gate)
        {
            if (problem is null)
            {
                _problems.Remove(source);
            }
            else
            {
                _problems[source] = problem;
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
