using KubeDns.Cluster;
using KubeDns.Cluster.Model;

namespace KubeDns.ProxyRules.Sync;

/// <summary>
/// The Services and EndpointSlices a source has delivered, and which services changed since the last sync
/// was taken (the services whose chains a partial sync rewrites). Sources call <see cref="Apply"/> from their
/// own threads; the syncer takes a consistent copy with <see cref="TakeSnapshot"/>.
/// </summary>
internal sealed class ClusterView : IClusterChangeSink, IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<ObjectKey, ServiceInfo> _services = [];
    private readonly Dictionary<ObjectKey, EndpointSliceInfo> _slices = [];
    private readonly HashSet<ObjectKey> _changed = [];
    private readonly SemaphoreSlim _signal = new(0);

    /// <summary>Completes when there are changes not yet signalled, or after <paramref name="timeout"/>.</summary>
    public Task WaitForChangeAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);

    public void Apply(IReadOnlyList<ClusterChange> changes)
    {
        var any = false;
        lock (_lock)
        {
            foreach (var change in changes)
            {
                switch (change.Kind)
                {
                    case ObjectKind.Service:
                        if (Replace(_services, change.Key, change.Value as ServiceInfo, out _))
                        {
                            any = true;
                            _changed.Add(change.Key);
                        }

                        break;
                    case ObjectKind.EndpointSlice:
                        // A slice that moves between services changes both.
                        if (Replace(_slices, change.Key, change.Value as EndpointSliceInfo, out var old))
                        {
                            any = true;
                            MarkChanged(old?.ServiceKey);
                            MarkChanged((change.Value as EndpointSliceInfo)?.ServiceKey);
                        }

                        break;
                }
            }
        }

        if (any && _signal.CurrentCount == 0)
        {
            _signal.Release();
        }
    }

    /// <summary>The current objects and the services changed since the previous snapshot (then forgotten).</summary>
    public ClusterSnapshot TakeSnapshot()
    {
        lock (_lock)
        {
            var snapshot = new ClusterSnapshot([.. _services.Values], [.. _slices.Values], new HashSet<ObjectKey>(_changed));
            _changed.Clear();

            // What was signalled is in this snapshot: the next wait is for changes after it.
            while (_signal.CurrentCount > 0)
            {
                _signal.Wait(0);
            }

            return snapshot;
        }
    }

    public void Dispose() => _signal.Dispose();

    private void MarkChanged(ObjectKey? service)
    {
        if (service is { } key)
        {
            _changed.Add(key);
        }
    }

    private static bool Replace<T>(Dictionary<ObjectKey, T> map, ObjectKey key, T? value, out T? old)
        where T : class
    {
        map.TryGetValue(key, out old);
        if (Equals(old, value))
        {
            return false;
        }

        if (value is null)
        {
            map.Remove(key);
        }
        else
        {
            map[key] = value;
        }

        return true;
    }
}

/// <summary>A consistent copy of the cluster for one sync, with the services changed since the one before.</summary>
internal sealed record ClusterSnapshot(IReadOnlyList<ServiceInfo> Services, IReadOnlyList<EndpointSliceInfo> Slices, IReadOnlySet<ObjectKey> ChangedServices);
