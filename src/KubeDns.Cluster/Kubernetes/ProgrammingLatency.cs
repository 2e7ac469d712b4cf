namespace KubeDns.Cluster.Kubernetes;

/// <summary>
/// Time from a watch event's arrival to the snapshot with its change being served (CoreDNS reports the same as
/// <c>coredns_kubernetes_dns_programming_duration_seconds</c>). Lock-free counters; read by metrics and tests.
/// </summary>
public sealed class ProgrammingLatency
{
    private long _count;
    private long _totalTicks;
    private long _maxTicks;

    public long Count => Interlocked.Read(ref _count);

    public TimeSpan Total => TimeSpan.FromTicks(Interlocked.Read(ref _totalTicks));

    public TimeSpan Max => TimeSpan.FromTicks(Interlocked.Read(ref _maxTicks));

    /// <summary>Called with each recorded latency (the metrics histogram subscribes here).</summary>
    public event Action<TimeSpan>? Recorded;

    public void Record(TimeSpan elapsed)
    {
        Recorded?.Invoke(elapsed);
        Interlocked.Increment(ref _count);
        Interlocked.Add(ref _totalTicks, elapsed.Ticks);
        long max;
        while (elapsed.Ticks > (max = Interlocked.Read(ref _maxTicks)) && Interlocked.CompareExchange(ref _maxTicks, elapsed.Ticks, max) != max)
        {
        }
    }
}
