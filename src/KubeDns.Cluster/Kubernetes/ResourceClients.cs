using System.Runtime.CompilerServices;
using k8s;
using k8s.Models;
using KubeDns.Cluster.Ingest;
using KubeDns.Cluster.Model;

namespace KubeDns.Cluster.Kubernetes;

/// <summary>The kinds DNS reads from the API server: Services, EndpointSlices, Namespaces, and Pods when needed.</summary>
internal static class ResourceClients
{
    public static ResourceClient Services { get; } = new()
    {
        Kind = ObjectKind.Service,
        Resource = "services",
        Group = string.Empty,
        UsesLabelSelector = true,
        ListPage = static async (client, continueToken, limit, labels, ct) =>
        {
            var list = await client.CoreV1.ListServiceForAllNamespacesAsync(continueParameter: continueToken, limit: limit, labelSelector: labels, cancellationToken: ct).ConfigureAwait(false);
            return (list.Items, list.Metadata);
        },
        Watch = static (client, version, labels, timeout, onError, ct) =>
            Widen(client.CoreV1.WatchListServiceForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: version, labelSelector: labels, timeoutSeconds: timeout, onError: onError, cancellationToken: ct), ct),
        Strip = static o => ObjectStripper.Strip((V1Service)o),
    };

    public static ResourceClient EndpointSlices { get; } = new()
    {
        Kind = ObjectKind.EndpointSlice,
        Resource = "endpointslices",
        Group = "discovery.k8s.io",
        ListPage = static async (client, continueToken, limit, _, ct) =>
        {
            var list = await client.DiscoveryV1.ListEndpointSliceForAllNamespacesAsync(continueParameter: continueToken, limit: limit, cancellationToken: ct).ConfigureAwait(false);
            return (list.Items, list.Metadata);
        },
        Watch = static (client, version, _, timeout, onError, ct) =>
            Widen(client.DiscoveryV1.WatchListEndpointSliceForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: version, timeoutSeconds: timeout, onError: onError, cancellationToken: ct), ct),
        Strip = static o => ObjectStripper.Strip((V1EndpointSlice)o),
    };

    public static ResourceClient Namespaces { get; } = new()
    {
        Kind = ObjectKind.Namespace,
        Resource = "namespaces",
        Group = string.Empty,
        ListPage = static async (client, continueToken, limit, _, ct) =>
        {
            var list = await client.CoreV1.ListNamespaceAsync(continueParameter: continueToken, limit: limit, cancellationToken: ct).ConfigureAwait(false);
            return (list.Items, list.Metadata);
        },
        Watch = static (client, version, _, timeout, onError, ct) =>
            Widen(client.CoreV1.WatchListNamespaceAsync(allowWatchBookmarks: true, resourceVersion: version, timeoutSeconds: timeout, onError: onError, cancellationToken: ct), ct),
        Strip = static o => ObjectStripper.Strip((V1Namespace)o),
    };

    public static ResourceClient Pods { get; } = new()
    {
        Kind = ObjectKind.Pod,
        Resource = "pods",
        Group = string.Empty,
        ListPage = static async (client, continueToken, limit, _, ct) =>
        {
            var list = await client.CoreV1.ListPodForAllNamespacesAsync(continueParameter: continueToken, limit: limit, cancellationToken: ct).ConfigureAwait(false);
            return (list.Items, list.Metadata);
        },
        Watch = static (client, version, _, timeout, onError, ct) =>
            Widen(client.CoreV1.WatchListPodForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: version, timeoutSeconds: timeout, onError: onError, cancellationToken: ct), ct),
        Strip = static o => ObjectStripper.Strip((V1Pod)o),
    };

    /// <summary>The kinds to watch: Pods only when <c>--pods verified</c> needs them.</summary>
    public static IReadOnlyList<ResourceClient> For(bool withPods) =>
        withPods ? [Namespaces, Services, EndpointSlices, Pods] : [Namespaces, Services, EndpointSlices];

    private static async IAsyncEnumerable<(WatchEventType, IKubernetesObject<V1ObjectMeta>)> Widen<T>(
        IAsyncEnumerable<(WatchEventType, T)> events, [EnumeratorCancellation] CancellationToken ct)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        await foreach (var (type, item) in events.WithCancellation(ct).ConfigureAwait(false))
        {
            yield return (type, item);
        }
    }
}
