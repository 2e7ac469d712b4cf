using KubeDns.Testing.FakeApi;
using k8s;
using k8s.Models;
using KubeDns.Cluster.Kubernetes;
using KubeDns.Cluster.Tests.TestSupport;

namespace KubeDns.Cluster.Tests.Kubernetes.FakeApi;

/// <summary>Per test: a fake API server, and a real KubernetesClient and the server's own connection built from the kubeconfig it writes.</summary>
public abstract class FakeApiServerFixture : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private FakeApiServer? _server;
    private k8s.Kubernetes? _client;
    private ApiClient? _api;

    private protected FakeApiServer Server => _server!;

    private protected k8s.Kubernetes Client => _client!;

    /// <summary>The connection the server's list and watch readers take.</summary>
    private protected ApiClient Api => _api!;

    private protected string KubeconfigPath { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _server = await FakeApiServer.StartNewAsync(Options());
        KubeconfigPath = _server.WriteKubeconfig(_folder.Path);
        _client = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath));
        _api = new ApiClient(KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath));
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        _api?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _folder.Dispose();
    }

    private protected virtual FakeApiServerOptions Options() => new();

    private protected static V1Service Service(string ns, string name, string clusterIp = "10.96.0.10", IDictionary<string, string>? labels = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = labels },
        Spec = new V1ServiceSpec
        {
            ClusterIP = clusterIp,
            Ports = [new V1ServicePort { Name = "http", Port = 80, Protocol = "TCP" }],
        },
    };

    private protected WatchRecorder<V1Service> WatchServices(
        string? resourceVersion = null, bool bookmarks = true, int? timeoutSeconds = null, string? labelSelector = null) =>
        WatchRecorder<V1Service>.Start((onError, ct) => Watches.Of<V1Service>(
            Api, "api/v1/services", WatchStream.Query(resourceVersion, labelSelector, timeoutSeconds, bookmarks), onError, ct));
}
