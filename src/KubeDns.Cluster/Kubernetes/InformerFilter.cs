using KubeDns.Cluster.Model;

namespace KubeDns.Cluster.Kubernetes;

/// <summary>
/// What the server restricts itself to, like CoreDNS's <c>namespaces</c> and <c>labels</c> options: objects
/// outside the namespaces are dropped at ingest (never stored); the label selector is sent to the API server
/// with the Services list and watch.
/// </summary>
public sealed record InformerFilter(IReadOnlySet<string>? Namespaces, string? LabelSelector)
{
    public static InformerFilter None { get; } = new(null, null);

    public bool Admits(ObjectKind kind, ObjectKey key) =>
        Namespaces is null || Namespaces.Contains(kind == ObjectKind.Namespace ? key.Name : key.Namespace);
}
