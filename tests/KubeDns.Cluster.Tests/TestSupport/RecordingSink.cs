using KubeDns.Cluster;
using KubeDns.Cluster.Model;

namespace KubeDns.Cluster.Tests.TestSupport;

/// <summary>Records every batch and keeps the state the batches add up to.</summary>
internal sealed class RecordingSink : IClusterChangeSink
{
    private readonly Lock _gate = new();
    private readonly List<IReadOnlyList<ClusterChange>> _batches = [];
    private readonly Dictionary<(ObjectKind, ObjectKey), object> _state = [];

    public IReadOnlyList<IReadOnlyList<ClusterChange>> Batches
    {
        get
        {
            lock (_gate)
            {
                return [.. _batches];
            }
        }
    }

    public void Apply(IReadOnlyList<ClusterChange> changes)
    {
        lock (_gate)
        {
            _batches.Add([.. changes]);
            foreach (var change in changes)
            {
                if (change.IsDelete)
                {
                    Assert.True(_state.Remove((change.Kind, change.Key)), $"delete of {change.Kind} {change.Key}, which was never delivered");
                }
                else
                {
                    _state[(change.Kind, change.Key)] = change.Value!;
                }
            }
        }
    }

    public T? Get<T>(ObjectKind kind, string ns, string name)
        where T : class
    {
        lock (_gate)
        {
            return _state.TryGetValue((kind, new ObjectKey(ns, name)), out var value) ? (T)value : null;
        }
    }

    public ServiceInfo? Service(string ns, string name) => Get<ServiceInfo>(ObjectKind.Service, ns, name);

    public PodInfo? Pod(string ns, string name) => Get<PodInfo>(ObjectKind.Pod, ns, name);

    public EndpointSliceInfo? Slice(string ns, string name) => Get<EndpointSliceInfo>(ObjectKind.EndpointSlice, ns, name);

    public bool HasNamespace(string name) => Get<NamespaceInfo>(ObjectKind.Namespace, string.Empty, name) is not null;

    public IReadOnlyList<ObjectKey> Keys(ObjectKind kind)
    {
        lock (_gate)
        {
            return [.. _state.Keys.Where(key => key.Item1 == kind).Select(key => key.Item2).OrderBy(key => key.ToString(), StringComparer.Ordinal)];
        }
    }
}
