using KubeDns.Cluster.Kubernetes;
using KubeDns.Cluster.Model;
using KubeDns.Cluster.Tests.TestSupport;
using KubeDns.Testing.FakeApi;

namespace KubeDns.Cluster.Tests.Kubernetes;

/// <summary>
/// Per test: a fake API server, and an <see cref="ApiSource"/> that reaches it through the kubeconfig the
/// server writes, delivering to a recording sink, with a recording logger and fast informer timings.
/// </summary>
public abstract class ApiSourceFixture : IAsyncLifetime
{
    /// <summary>Deadline for behaviour that takes milliseconds: generous for a loaded 2-core CI machine.</summary>
    private protected static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    /// <summary>Small pages and short backoff; watches that neither time out nor trip the watchdog during a test.</summary>
    private protected static readonly InformerSettings Fast = new()
    {
        PageSize = 2,
        WatchTimeout = TimeSpan.FromSeconds(60),
        Watchdog = TimeSpan.FromSeconds(90),
        InitialBackoff = TimeSpan.FromMilliseconds(20),
        MaxBackoff = TimeSpan.FromMilliseconds(200),
    };

    private readonly TempFolder _folder = new();
    private FakeApiServer? _server;
    private ApiSource? _source;

    private protected FakeApiServer Server => _server!;

    private protected string KubeconfigPath { get; private set; } = "";

    private protected RecordingSink Sink { get; } = new();

    private protected ClusterSyncState Sync { get; } = new();

    private protected ProgrammingLatency Latency { get; } = new();

    private protected RecordingLoggerFactory Logs { get; } = new();

    private protected ApiSource Source => _source ?? throw new InvalidOperationException("StartSourceAsync first");

    public async Task InitializeAsync()
    {
        _server = await FakeApiServer.StartNewAsync();
        KubeconfigPath = _server.WriteKubeconfig(_folder.Path);
    }

    public async Task DisposeAsync()
    {
        if (_source is not null)
        {
            await _source.StopAsync(CancellationToken.None);
            _source.Dispose();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _folder.Dispose();
    }

    /// <summary>Starts the source (StartAsync waits for the first lists, up to the startup timeout: 10 s unless changed).</summary>
    private protected async Task StartSourceAsync(Func<ApiSourceOptions, ApiSourceOptions>? configure = null)
    {
        var options = new ApiSourceOptions { Kubeconfig = KubeconfigPath, Informers = Fast, StartupTimeout = Deadline };
        _source = new ApiSource(configure?.Invoke(options) ?? options, Sink, Sync, Latency, Logs, TimeProvider.System);
        await _source.StartAsync(CancellationToken.None);
    }

    /// <summary>The informer of one resource: "services", "endpointslices.discovery.k8s.io", "namespaces", "pods".</summary>
    private protected Informer Informer(string resource) =>
        Source.Informers.Single(informer => informer.SourceName == "kubernetes/" + resource);

    /// <summary>Every change the sink received for one object, in order.</summary>
    private protected IReadOnlyList<ClusterChange> ChangesOf(ObjectKind kind, string ns, string name) =>
        [.. Sink.Batches.SelectMany(batch => batch).Where(change => change.Kind == kind && change.Key == new ObjectKey(ns, name))];

    /// <summary>Watch requests of a kind, in arrival order.</summary>
    private protected IReadOnlyList<RecordedRequest> WatchRequests(ApiKind kind) =>
        [.. Server.Requests.Where(request => request.Kind == kind && request.Verb == ApiVerb.Watch)];

    /// <summary>List requests of a kind (one per page), in arrival order.</summary>
    private protected IReadOnlyList<RecordedRequest> ListRequests(ApiKind kind) =>
        [.. Server.Requests.Where(request => request.Kind == kind && request.Verb == ApiVerb.List)];

    private protected static Task Until(Func<bool> condition, string what) => Eventually.True(condition, Deadline, what);

    /// <summary>Waits for a watch of the kind to be live on the server, so a change made now travels through it.</summary>
    private protected Task WatchingAsync(ApiKind kind, int started = 1) => Server.WaitForWatchesStartedAsync(kind, started, Deadline);
}
