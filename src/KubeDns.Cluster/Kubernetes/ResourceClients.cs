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
            WatchStream.ReadAsync<V1Service>(client, "api/v1/services", WatchStream.Query(version, labels, timeout), onError, ct),
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
            WatchStream.ReadAsync<V1EndpointSlice>(client, "apis/discovery.k8s.io/v1/endpointslices", WatchStream.Query(version, null, timeout), onError, ct),
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
            WatchStream.ReadAsync<V1Namespace>(client, "api/v1/namespaces", WatchStream.Query(version, null, timeout), onError, ct),
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
            WatchStream.ReadAsync<V1Pod>(client, "api/v1/pods", WatchStream.Query(version, null, timeout), onError, ct),
        Strip = static o => ObjectStripper.Strip((V1Pod)o),
    };

    /// <summary>The kinds to watch: Pods only when <c>--pods verified</c> needs them.</summary>
    public static IReadOnlyList<ResourceClient> For(bool withPods) =>
        withPods ? [Namespaces, Services, EndpointSlices, Pods] : [Namespaces, Services, EndpointSlices];
}
