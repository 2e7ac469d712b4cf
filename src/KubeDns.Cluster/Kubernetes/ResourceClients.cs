using System.Text.Json.Serialization.Metadata;
using KubeDns.Cluster.Ingest;
using KubeDns.Cluster.Model;
using KubeDns.Cluster.Wire;

namespace KubeDns.Cluster.Kubernetes;

/// <summary>The kinds DNS reads from the API server: Services, EndpointSlices, Namespaces, and Pods when needed.</summary>
internal static class ResourceClients
{
    public static ResourceClient Services { get; } =
        For(ObjectKind.Service, "services", string.Empty, "api/v1/services", WireJson.Default.ServiceObject, ObjectStripper.Strip, usesLabelSelector: true);

    public static ResourceClient EndpointSlices { get; } =
        For(ObjectKind.EndpointSlice, "endpointslices", "discovery.k8s.io", "apis/discovery.k8s.io/v1/endpointslices", WireJson.Default.EndpointSliceObject, ObjectStripper.Strip);

    public static ResourceClient Namespaces { get; } =
        For(ObjectKind.Namespace, "namespaces", string.Empty, "api/v1/namespaces", WireJson.Default.NamespaceObject, ObjectStripper.Strip);

    public static ResourceClient Pods { get; } =
        For(ObjectKind.Pod, "pods", string.Empty, "api/v1/pods", WireJson.Default.PodObject, ObjectStripper.Strip);

    /// <summary>The kinds to watch: Pods only when <c>--pods verified</c> needs them.</summary>
    public static IReadOnlyList<ResourceClient> For(bool withPods) =>
        withPods ? [Namespaces, Services, EndpointSlices, Pods] : [Namespaces, Services, EndpointSlices];

    /// <param name="path">The collection across all namespaces, e.g. <c>api/v1/services</c>.</param>
    private static ResourceClient For<T>(
        ObjectKind kind, string resource, string group, string path, JsonTypeInfo<T> model, Func<T, object> strip, bool usesLabelSelector = false)
        where T : class, IWireObject => new()
    {
        Kind = kind,
        Resource = resource,
        Group = group,
        UsesLabelSelector = usesLabelSelector,
        ListPage = (client, continueToken, limit, labels, onItem, ct) =>
            ListStream.ReadPageAsync(client, path, ListStream.Query(continueToken, usesLabelSelector ? labels : null, limit), model, onItem, ct),
        Watch = (client, version, labels, timeout, onError, ct) =>
            WatchStream.ReadAsync<T, IWireObject>(client, path, WatchStream.Query(version, usesLabelSelector ? labels : null, timeout), model, onError, ct),
        Strip = o => strip((T)o),
    };
}
