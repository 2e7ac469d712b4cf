using KubeDns.Cluster.Model;
using KubeDns.Cluster.Wire;

namespace KubeDns.Cluster.Kubernetes;

/// <summary>
/// One kind as the informer sees it: a paged list, a watch, and the stripping of its objects. The four
/// instances (<see cref="ResourceClients"/>) are the only place that knows the per-kind paths and models.
/// </summary>
internal sealed class ResourceClient
{
    public required ObjectKind Kind { get; init; }

    /// <summary>The resource as RBAC names it (<c>services</c>), for error messages and the ClusterRole.</summary>
    public required string Resource { get; init; }

    /// <summary>The API group as RBAC names it (empty for the core group).</summary>
    public required string Group { get; init; }

    /// <summary>One page: (continue token, limit, label selector, what takes each object as it is read) → list metadata (<see cref="ListStream"/>).</summary>
    public required Func<ApiClient, string?, int, string?, Action<IWireObject>, CancellationToken, Task<ListMeta>> ListPage { get; init; }

    /// <summary>A watch from a resource version: (version, label selector, server timeout, onError).</summary>
    public required Func<ApiClient, string, string?, int, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType Type, IWireObject Object)>> Watch { get; init; }

    /// <summary>Strips an object to its record (throws <see cref="Ingest.InvalidObjectException"/> for bad content).</summary>
    public required Func<IWireObject, object> Strip { get; init; }

    /// <summary>Whether this kind is filtered by <c>--labels</c> (Services only, as CoreDNS's <c>labels</c> option).</summary>
    public bool UsesLabelSelector { get; init; }

    public string Name => Group.Length == 0 ? Resource : Resource + "." + Group;

    /// <summary>The key of an object of this kind (namespaces are cluster-scoped).</summary>
    public ObjectKey KeyOf(ObjectMeta metadata) =>
        Kind == ObjectKind.Namespace ? new ObjectKey(string.Empty, metadata.Name ?? string.Empty) : new ObjectKey(metadata.Namespace ?? string.Empty, metadata.Name ?? string.Empty);
}
