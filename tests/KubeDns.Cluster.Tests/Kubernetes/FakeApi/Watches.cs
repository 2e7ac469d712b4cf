using k8s;
using k8s.Models;
using KubeDns.Cluster.Kubernetes;

namespace KubeDns.Cluster.Tests.Kubernetes.FakeApi;

/// <summary>A watch of one kind, its objects typed (the informer's <see cref="WatchStream"/> yields them untyped).</summary>
internal static class Watches
{
    public static IAsyncEnumerable<(WatchEventType Type, T Object)> Of<T>(IKubernetes client, string path, string query, Action<Exception>? onError, CancellationToken ct)
        where T : IKubernetesObject<V1ObjectMeta> =>
        WatchStream.ReadAsync<T>(client, path, query, onError ?? (_ => { }), ct).Select(e => (e.Type, (T)e.Object));
}
