namespace KubeDns.Cluster.Model;

/// <summary>The kinds of cluster object that DNS and the rule generator consume.</summary>
public enum ObjectKind
{
    Namespace,
    Service,
    EndpointSlice,
    Pod,
}

/// <summary>
/// One change to cluster state, as a source emits it: an object added or replaced (<see cref="Value"/> set),
/// or deleted (<see cref="Value"/> null). Sources emit changes, never whole worlds.
/// </summary>
public sealed record ClusterChange(ObjectKind Kind, ObjectKey Key, object? Value)
{
    public bool IsDelete => Value is null;

    public static ClusterChange Upsert(NamespaceInfo value) => new(ObjectKind.Namespace, value.Key, value);

    public static ClusterChange Upsert(ServiceInfo value) => new(ObjectKind.Service, value.Key, value);

    public static ClusterChange Upsert(EndpointSliceInfo value) => new(ObjectKind.EndpointSlice, value.Key, value);

    public static ClusterChange Upsert(PodInfo value) => new(ObjectKind.Pod, value.Key, value);

    public static ClusterChange Delete(ObjectKind kind, ObjectKey key) => new(kind, key, null);
}
