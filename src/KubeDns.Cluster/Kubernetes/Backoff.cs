namespace KubeDns.Cluster.Kubernetes;

/// <summary>
/// Exponential reconnect delay with jitter (each delay drawn from [d/2, d]), so that many replicas
/// reconnecting after an API server restart do not arrive in lock step.
/// </summary>
internal sealed class Backoff
{
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private TimeSpan _next;

    public Backoff(TimeSpan initial, TimeSpan max)
    {
        _initial = initial;
        _max = max;
        _next = initial;
    }

    /// <summary>The delay to wait now; the following one doubles.</summary>
    public TimeSpan Next()
    {
        var current = _next;
        _next = TimeSpan.FromTicks(Math.Min(_max.Ticks, current.Ticks * 2));
        return TimeSpan.FromTicks((long)(current.Ticks * (0.5 + (Random.Shared.NextDouble() * 0.5))));
    }

    /// <summary>After a success the next failure starts from the initial delay again.</summary>
    public void Reset() => _next = _initial;
}
