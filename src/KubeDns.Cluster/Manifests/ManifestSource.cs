using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KubeDns.Cluster.Manifests;

/// <summary>
/// Serves cluster state from manifest files instead of an API server (the no-cluster mode): YAML or JSON files,
/// or folders of them read recursively. Start-up loads everything and delivers one batch before reporting
/// synced; afterwards edits, new files and deleted files reach the sink as one batch of real changes each,
/// within a second. A file that does not parse is logged with its line and keeps its last good content.
/// See README.md in this folder.
/// </summary>
public sealed class ManifestSource : IHostedService, IDisposable
{
    /// <summary>The name this source registers with <see cref="ClusterSyncState"/>.</summary>
    public const string SourceName = "manifests";

    private readonly IReadOnlyList<string> _paths;
    private readonly IClusterChangeSink _sink;
    private readonly ClusterSyncState _sync;
    private readonly ILogger<ManifestSource> _logger;
    private readonly TimeProvider _time;
    private readonly ManifestCatalog _catalog;
    private readonly CancellationTokenSource _stopping = new();
    private IReadOnlyList<ManifestRoot> _roots = [];
    private IReadOnlyDictionary<StateKey, object> _delivered = new Dictionary<StateKey, object>();
    private HashSet<DuplicateObject> _reportedDuplicates = [];
    private ManifestWatcher? _watcher;
    private Task _watchLoop = Task.CompletedTask;
    private bool _disposed;

    /// <param name="keepEndpointPodNames">Keep the endpoints' pod names (only <c>endpoint_pod_names</c> answers with them).</param>
    public ManifestSource(IReadOnlyList<string> paths, IClusterChangeSink sink, ClusterSyncState sync, ILogger<ManifestSource> logger, TimeProvider time, bool keepEndpointPodNames = true)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0)
        {
            throw new ArgumentException("At least one manifest file or folder is required.", nameof(paths));
        }

        _paths = paths;
        _sink = sink;
        _sync = sync;
        _logger = logger;
        _time = time;
        _catalog = new ManifestCatalog(logger, keepEndpointPodNames: keepEndpointPodNames);
    }

    /// <summary>
    /// Files that currently fail to parse, by full path, with "line N: reason". Each keeps contributing its last
    /// good content (or nothing, if it never parsed). Safe to read from any thread.
    /// </summary>
    public IReadOnlyDictionary<string, string> FileErrors => _catalog.Errors;

    /// <summary>
    /// Loads every file and delivers the first batch synchronously, so a host that has started has a complete
    /// view. A configured path that does not exist fails start-up.
    /// </summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _sync.Register(SourceName);
        _roots = ManifestFiles.ResolveRoots(_paths);

        // Watch before the first read, so that nothing written while loading is missed.
        _watcher = new ManifestWatcher(_roots, _time, (path, exception) => _logger.WatcherError(path, exception));

        var files = ManifestFiles.Enumerate(_roots);
        _catalog.Refresh(files, new HashSet<string>(), readAll: true);
        var delivered = Deliver(always: true);
        _logger.Loaded(delivered, files.Count, _catalog.Errors.Count);
        _sync.MarkSynced(SourceName);

        _watchLoop = WatchLoopAsync(_watcher, _stopping.Token);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _watchLoop.WaitAsync(cancellationToken).ConfigureAwait(false);
        _watcher?.Dispose();
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stopping.Cancel();
        _watcher?.Dispose();
        _stopping.Dispose();
    }

    private async Task WatchLoopAsync(ManifestWatcher watcher, CancellationToken cancellationToken)
    {
        // Leave StartAsync's thread at once; everything below runs on the thread pool, one reload at a time.
        // After an empty start nothing has been parsed yet; warming up here keeps that cost off start-up.
        await Task.Yield();
        ManifestParser.WarmUp();
        var undelivered = false; // the catalog changed but the sink has not taken it yet (it threw)
        while (!cancellationToken.IsCancellationRequested)
        {
            ManifestChanges changes;
            try
            {
                changes = await watcher.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                undelivered |= _catalog.Refresh(ManifestFiles.Enumerate(_roots), changes.Paths, changes.ReadAll);
                if (undelivered)
                {
                    Deliver(always: false);
                    undelivered = false;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A failing sink or file system must not end watching; what was not delivered is diffed again
                // at the next event.
                undelivered = true;
                _logger.ReloadFailed(ex);
            }
        }
    }

    /// <summary>Merges all files, delivers the difference from the last delivery, and returns the object count.</summary>
    private int Deliver(bool always)
    {
        var merged = ManifestMerge.Merge(_catalog.Files);
        ReportNewDuplicates(merged.Duplicates);

        var changes = StateDiff.Diff(_delivered, merged.Objects);
        if (changes.Count > 0 || always)
        {
            _sink.Apply(changes);
            _delivered = StateDiff.KeepEqualInstances(_delivered, merged.Objects);
            if (!always)
            {
                var deletes = changes.Count(change => change.IsDelete);
                _logger.ChangesApplied(changes.Count - deletes, deletes);
            }
        }

        return merged.Objects.Count;
    }

    /// <summary>A duplicate is logged when it appears, not again at every reload while it persists.</summary>
    private void ReportNewDuplicates(IReadOnlyList<DuplicateObject> duplicates)
    {
        var current = duplicates.ToHashSet();
        foreach (var duplicate in duplicates)
        {
            if (!_reportedDuplicates.Contains(duplicate))
            {
                _logger.DuplicateObject(duplicate.Key.Kind, duplicate.Key.Key, duplicate.Loser, duplicate.Winner);
            }
        }

        _reportedDuplicates = current;
    }
}
