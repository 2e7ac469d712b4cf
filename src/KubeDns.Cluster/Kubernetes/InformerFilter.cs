using KubeDns.Cluster.Model;

namespace KubeDns.Cluster.Kubernetes;

/// <summary>
/// What the server restricts itself to, like CoreDNS's <c>namespaces</c> and <c>labels</c> options: objects
/// outside the namespaces are dropped at ingest (never stored); the label selector is sent to the API server
/// with the Services list and watch. Without <paramref name="KeepEndpointPodNames"/> the endpoints' pod names
/// are dropped at ingest too (only <c>endpoint_pod_names</c> answers with them).
/// </summary>
public sealed record InformerFilter(IReadOnlySet<string>? Namespaces, string? LabelSelector, bool KeepEndpointPodNames = true)
{
    public static InformerFilter None { get; } = new(null, null);

    /// <summary>A stripped object as it is kept: an EndpointSlice loses its pod names unless they are wanted.</summary>
    public object Keep(object stripped) =>
        !KeepEndpointPodNames && stripped is Model.EndpointSliceInfo slice ? slice.WithoutPodNames() : stripped;

    public bool Admits(ObjectKind kind, ObjectKey key) =>
        Namespaces is null || Namespaces.Contains(kind == ObjectKind.Namespace ? key.Name : key.Namespace);
}
