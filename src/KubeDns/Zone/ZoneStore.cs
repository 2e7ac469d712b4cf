using KubeDns.Cluster;
using KubeDns.Cluster.Model;

namespace KubeDns.Zone;

/// <summary>
/// Holds the current zone snapshot. Writers (the sources) are serialised by a lock and publish a new snapshot
/// per batch with one volatile write; readers call <see cref="Current"/> and never lock.
/// </summary>
internal sealed class ZoneStore : IClusterChangeSink
{
    private readonly Lock _gate = new();
    private readonly ZoneBuilder _builder;
    private readonly TimeProvider _time;
    private ZoneSnapshot _current;
    private long _publishedAt;

    public ZoneStore(ZoneSettings settings, TimeProvider time)
    {
        _time = time;
        _builder = new ZoneBuilder(settings, time);
        _current = _builder.Publish();
        _publishedAt = time.GetTimestamp();
    }

    /// <summary>How long ago the current snapshot was published (a stuck source shows as a growing age).</summary>
    public TimeSpan SnapshotAge => _time.GetElapsedTime(Interlocked.Read(ref _publishedAt));

    public ZoneSnapshot Current => Volatile.Read(ref _current);

    /// <summary>How many names the last batch re-encoded (a change costs its own names, not the cluster's).</summary>
    public int LastBatchNamesTouched { get; private set; }

    public void Apply(IReadOnlyList<ClusterChange> changes)
    {
        lock (_gate)
        {
            foreach (var change in changes)
            {
                _builder.Apply(change);
            }

            LastBatchNamesTouched = _builder.NamesTouched;
            Volatile.Write(ref _current, _builder.Publish());
            Interlocked.Exchange(ref _publishedAt, _time.GetTimestamp());
        }
    }
}
