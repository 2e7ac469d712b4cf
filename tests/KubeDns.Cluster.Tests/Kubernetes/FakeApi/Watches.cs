using System.Text.Json.Serialization.Metadata;
using k8s;
using k8s.Models;
using KubeDns.Cluster.Kubernetes;

namespace KubeDns.Cluster.Tests.Kubernetes.FakeApi;

/// <summary>A watch of one kind through the server's <see cref="WatchStream"/>, its objects read with KubernetesClient's model.</summary>
internal static class Watches
{
    public static IAsyncEnumerable<(WatchEventType Type, T Object)> Of<T>(ApiClient client, string path, string query, Action<Exception>? onError, CancellationToken ct)
        where T : IKubernetesObject<V1ObjectMeta> =>
        WatchStream.ReadAsync<T, T>(client, path, query, (JsonTypeInfo<T>)SourceGenerationContext.Default.GetTypeInfo(typeof(T))!, onError ?? (_ => { }), ct);
}
