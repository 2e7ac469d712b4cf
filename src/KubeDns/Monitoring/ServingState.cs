using KubeDns.Cluster;

namespace KubeDns.Monitoring;

/// <summary>
/// Whether the server should receive traffic: every source synced, and not shutting down (lame duck). The
/// readiness endpoint and the <c>kubedns_ready</c> gauge read it.
/// </summary>
internal sealed class ServingState(ClusterSyncState sync)
{
    private volatile bool _lameDuck;

    /// <summary>Shutting down: readiness fails so the Service stops sending queries, which are still answered.</summary>
    public void EnterLameDuck() => _lameDuck = true;

    public bool Ready => sync.AllSynced && !_lameDuck;

    /// <summary>
    /// The readiness body: <c>OK</c>, or why not, one reason per line; source problems (the API unreachable
    /// after sync, a missing permission) follow as detail, since the last state is still served.
    /// </summary>
    public string Describe()
    {
        var lines = new List<string>();
        if (_lameDuck)
        {
            lines.Add("shutting down (lame duck)");
        }

        foreach (var pending in sync.Pending)
        {
            lines.Add($"{pending}: not synced yet");
        }

        if (lines.Count == 0)
        {
            lines.Add("OK");
        }

        foreach (var (source, problem) in sync.Problems.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            lines.Add($"{source}: {problem}");
        }

        return string.Join('\n', lines) + "\n";
    }
}
