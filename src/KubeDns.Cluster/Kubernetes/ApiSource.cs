using k8s;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KubeDns.Cluster.Kubernetes;

/// <summary>
/// Cluster state from the Kubernetes API: one <see cref="Informer"/> per kind. Start-up waits (at most
/// <see cref="ApiSourceOptions.StartupTimeout"/>) for every kind's first list, as CoreDNS does; after that
/// the server serves, with SERVFAIL for unknown names until every kind has synced.
/// </summary>
public sealed class ApiSource : IHostedService, IDisposable
{
    private readonly ApiSourceOptions _options;
    private readonly IClusterChangeSink _sink;
    private readonly ClusterSyncState _sync;
    private readonly ProgrammingLatency _latency;
    private readonly ILoggerFactory _loggers;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private ApiClient? _client;
    private Task[] _loops = [];

    public ApiSource(ApiSourceOptions options, IClusterChangeSink sink, ClusterSyncState sync, ProgrammingLatency latency, ILoggerFactory loggers, TimeProvider time)
    {
        _options = options;
        _sink = sink;
        _sync = sync;
        _latency = latency;
        _loggers = loggers;
        _time = time;
        _logger = loggers.CreateLogger<ApiSource>();
    }

    internal IReadOnlyList<Informer> Informers { get; private set; } = [];

    /// <summary>Per kind: lists made (the first included) and watches started, for metrics.</summary>
    public IReadOnlyList<InformerCounters> Counters => [.. Informers.Select(i => new InformerCounters(i.SourceName, i.Relists, i.Watches))];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var configuration = ApiConnection.Configure(_options, out var how);
        _client = new ApiClient(configuration);
        Log.Connecting(_logger, configuration.Host, how);
        var logger = _loggers.CreateLogger<Informer>();
        Informers = [.. ResourceClients.For(_options.WatchPods)
            .Select(resource => new Informer(_client, resource, _sink, _sync, _options.Filter, _options.Informers, _latency, _time, logger))];
        _loops = [.. Informers.Select(informer => Task.Run(() => informer.RunAsync(_stopping.Token), CancellationToken.None))];

        var synced = Task.WhenAll(Informers.Select(informer => informer.Synced));
        var waited = await Task.WhenAny(synced, Task.Delay(_options.StartupTimeout, _time, cancellationToken)).ConfigureAwait(false);
        if (waited != synced)
        {
            Log.StartupTimeout(_logger, _options.StartupTimeout, string.Join(", ", _sync.Pending));
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_loops).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _client?.Dispose();
    }
}

/// <summary>One informer's counters: <paramref name="Source"/> is e.g. <c>kubernetes/services</c>.</summary>
public readonly record struct InformerCounters(string Source, int Lists, int Watches);
