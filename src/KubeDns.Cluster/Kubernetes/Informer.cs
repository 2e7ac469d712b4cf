using KubeDns.Cluster.Ingest;
using KubeDns.Cluster.Model;
using KubeDns.Cluster.Wire;
using Microsoft.Extensions.Logging;

namespace KubeDns.Cluster.Kubernetes;

/// <summary>
/// The list+watch loop of one kind (KubernetesClient has no informer): a paged list, then a watch from the
/// list's resourceVersion with bookmarks and a server timeout; resume from the last version seen when a
/// stream ends; relist when the version has expired (410); back off with jitter on failures; restart a
/// stream that has gone silent. Only the resourceVersion of each object is kept here: the stripped objects
/// live in the sink, and a relist is applied as a diff (see README.md).
/// </summary>
internal sealed partial class Informer
{
    private readonly ApiClient _client;
    private readonly ResourceClient _resource;
    private readonly IClusterChangeSink _sink;
    private readonly ClusterSyncState _sync;
    private readonly InformerFilter _filter;
    private readonly InformerSettings _settings;
    private readonly ProgrammingLatency _latency;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Backoff _backoff;
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>resourceVersion of every object delivered to the sink, and whether the current listing saw it.</summary>
    private readonly KnownVersions _known = new();

    /// <summary>The problem last logged, so that a retry loop logs a problem once, not once per attempt.</summary>
    private string? _problem;

    /// <summary>
    /// The version to resume from: the list's, then that of each event or bookmark as it is applied. A field,
    /// not a local of <see cref="RunAsync"/>, because a stream that fails (connection reset, API server gone)
    /// throws out of <see cref="WatchAsync"/> without returning the version it reached; resuming from the
    /// version the stream started at would replay its events (a deleted object would come back, then go again).
    /// Null means relist.
    /// </summary>
    private string? _version;

    public Informer(
        ApiClient client, ResourceClient resource, IClusterChangeSink sink, ClusterSyncState sync, InformerFilter filter,
        InformerSettings settings, ProgrammingLatency latency, TimeProvider time, ILogger logger)
    {
        _client = client;
        _resource = resource;
        _sink = sink;
        _sync = sync;
        _filter = filter;
        _settings = settings;
        _latency = latency;
        _time = time;
        _logger = logger;
        _backoff = new Backoff(settings.InitialBackoff, settings.MaxBackoff);
        SourceName = "kubernetes/" + resource.Name;
        _sync.Register(SourceName);
    }

    /// <summary>The name this kind has in readiness: <c>kubernetes/services</c>.</summary>
    public string SourceName { get; }

    /// <summary>Completes when the first full list has been delivered.</summary>
    public Task Synced => _synced.Task;

    /// <summary>Relists so far (the first list included), for metrics and tests.</summary>
    public int Relists { get; private set; }

    /// <summary>Watch streams started so far, for metrics and tests.</summary>
    public int Watches { get; private set; }

    public async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                _version ??= await RelistAsync(stopping).ConfigureAwait(false);
                _version = await WatchAsync(_version, stopping).ConfigureAwait(false);
                continue;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ApiFailure.IsExpired(ex))
            {
                // 410 on a list continue token or a watch: start over from a fresh list, after a short jittered
                // pause so that an API server answering 410 again and again does not get a tight relist loop.
                _version = null;
            }
#pragma warning disable CA1031 // Every failure of the API (or of us) must end in a retry, never in a dead loop.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                ReportProblem(ApiFailure.Describe(ex, _resource), ex);
            }

            try
            {
                await Task.Delay(_backoff.Next(), _time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Lists every page and applies it as a diff: changed objects as upserts page by page, then one batch of
    /// deletes for objects that vanished. Returns the version to watch from.
    /// </summary>
    private async Task<string> RelistAsync(CancellationToken stopping)
    {
        Relists++;
        _known.StartListing();
        string? continueToken = null;
        string version;
        do
        {
            var changes = new List<ClusterChange>();
            var metadata = await _resource.ListPage(_client, continueToken, _settings.PageSize, LabelSelector, item => Consider(item, changes), stopping).ConfigureAwait(false);

            Deliver(changes, arrived: 0);
            continueToken = metadata.Continue;
            // A list without a version cannot be watched from: watching from nothing would replay or skip at the server's whim.
            version = metadata.ResourceVersion is { Length: > 0 } listed ? listed : throw new InvalidDataException("the list has no metadata.resourceVersion");
        }
        while (!string.IsNullOrEmpty(continueToken));

        var deletes = _known.RemoveUnseen();
        Deliver([.. deletes.Select(key => ClusterChange.Delete(_resource.Kind, key))], arrived: 0);
        Recovered();
        _backoff.Reset();
        if (_synced.TrySetResult())
        {
            _sync.MarkSynced(SourceName);
            Log.Synced(_logger, SourceName, _known.Count);
        }

        return version;
    }

    private string? LabelSelector => _resource.UsesLabelSelector ? _filter.LabelSelector : null;

    /// <summary>Turns one listed or watched object into a change, when it is new to the sink.</summary>
    private void Consider(IWireObject item, List<ClusterChange> changes)
    {
        if (item.Metadata is not { Name.Length: > 0 } metadata)
        {
            Log.InvalidObject(_logger, _resource.Name, new ObjectKey(item.Metadata?.Namespace ?? string.Empty, "(no name)"), "metadata.name is required");
            return;
        }

        // Namespace names repeat across thousands of objects: one string instance each, shared by keys and records.
        if (metadata.Namespace is { } ns)
        {
            metadata.Namespace = string.Intern(ns);
        }

        var key = _resource.KeyOf(metadata);
        if (!_filter.Admits(_resource.Kind, key))
        {
            if (_known.Remove(key))
            {
                changes.Add(ClusterChange.Delete(_resource.Kind, key));
            }

            return;
        }

        var version = KnownVersions.Parse(metadata.ResourceVersion);
        if (_known.IsCurrent(key, version))
        {
            return; // Unchanged (a relist, or a replayed event): the sink already has it.
        }

        _known.Set(key, version);
        try
        {
            changes.Add(new ClusterChange(_resource.Kind, key, _filter.Keep(_resource.Strip(item))));
        }
        catch (InvalidObjectException ex)
        {
            // The API server validated it, so this is rare: keep serving what we had for that object.
            Log.InvalidObject(_logger, _resource.Name, key, ex.Message);
        }
    }

    private void Deliver(List<ClusterChange> changes, long arrived)
    {
        if (changes.Count == 0)
        {
            return;
        }

        _sink.Apply(changes);
        if (arrived != 0)
        {
            _latency.Record(_time.GetElapsedTime(arrived));
        }
    }

    private void ReportProblem(string problem, Exception exception)
    {
        _sync.SetProblem(SourceName, problem);
        if (problem != _problem)
        {
            _problem = problem;
            Log.ApiProblem(_logger, SourceName, problem, _synced.Task.IsCompleted ? "serving the last state" : "not ready", exception);
        }
    }

    private void Recovered()
    {
        if (_problem is not null)
        {
            _problem = null;
            _sync.SetProblem(SourceName, null);
            Log.ApiRecovered(_logger, SourceName);
        }
    }
}
