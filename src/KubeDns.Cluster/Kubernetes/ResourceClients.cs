using k8s;
using k8s.Models;
using KubeDns.Cluster.Ingest;
using KubeDns.Cluster.Model;

namespace KubeDns.Cluster.Kubernetes;

/// <summary>The kinds DNS reads from the API server: Services, EndpointSlices, Namespaces, and Pods when needed.</summary>
internal static class ResourceClients
{
    public static ResourceClient Services { get; } =
        For<V1Service>(ObjectKind.Service, "services", string.Empty, "api/v1/services", ObjectStripper.Strip, usesLabelSelector: true);

    public static ResourceClient EndpointSlices { get; } =
        For<V1EndpointSlice>(ObjectKind.EndpointSlice, "endpointslices", "discovery.k8s.io", "apis/discovery.k8s.io/v1/endpointslices", ObjectStripper.Strip);

    public static ResourceClient Namespaces { get; } =
        For<V1Namespace>(ObjectKind.Namespace, "namespaces", string.Empty, "api/v1/namespaces", ObjectStripper.Strip);

    public static ResourceClient Pods { get; } =
        For<V1Pod>(ObjectKind.Pod, "pods", string.Empty, "api/v1/pods", ObjectStripper.Strip);

    /// <summary>The kinds to watch: Pods only when <c>--pods verified</c> needs them.</summary>
    public static IReadOnlyList<ResourceClient> For(bool withPods) =>
        withPods ? [Namespaces, Services, EndpointSlices, Pods] : [Namespaces, Services, EndpointSlices];

    /// <param name="path">The collection across all namespaces, e.g. <c>api/v1/services</c>.</param>
    private static ResourceClient For<T>(ObjectKind kind, string resource, string group, string path, Func<T, object> strip, bool usesLabelSelector = false)
        where T : class, IKubernetesObject<V1ObjectMeta> => new()
    {
        Kind = kind,
        Resource = resource,
        Group = group,
        UsesLabelSelector = usesLabelSelector,
        ListPage = (client, continueToken, limit, labels, onItem, ct) =>
            ListStream.ReadPageAsync<T>(client, path, ListStream.Query(continueToken, usesLabelSelector ? labels : null, limit), onItem, ct),
        Watch = (client, version, labels, timeout, onError, ct) =>
            WatchStream.ReadAsync<T>(client, path, WatchStream.Query(version, usesLabelSelector ? labels : null, timeout), onError, ct),
        Strip = o => strip((T)o),
    };
}
