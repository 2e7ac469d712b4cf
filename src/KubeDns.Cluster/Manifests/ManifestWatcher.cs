using System.Threading.Channels;

namespace KubeDns.Cluster.Manifests;

/// <summary>What changed since the last batch: paths named by file events, or everything (after a lost event).</summary>
internal sealed record ManifestChanges(IReadOnlySet<string> Paths, bool ReadAll);

/// <summary>
/// Watches the manifest roots and hands out debounced batches of changed paths. A burst (an editor's
/// write-to-temp-then-rename, <c>git checkout</c>, a ConfigMap swap) becomes one batch once the folder has been
/// quiet for <see cref="Quiet"/>, and never later than <see cref="MaxDelay"/> after its first event, so a
/// steady stream of writes cannot postpone a reload for ever (800 ms leaves room to read and apply within a second).
/// </summary>
internal sealed class ManifestWatcher : IDisposable
{
    public static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(800);

    private readonly TimeProvider _time;
    private readonly Action<string, Exception> _onError;
    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Lock _gate = new();
    private HashSet<string> _paths = new(StringComparer.Ordinal);
    private bool _readAll;
    private bool _batchOpen;
    private long _firstEvent;
    private long _lastEvent;

    /// <param name="onError">Told when a watcher loses events (buffer overflow); the next batch then reads everything.</param>
    public ManifestWatcher(IReadOnlyList<ManifestRoot> roots, TimeProvider time, Action<string, Exception> onError)
    {
        _time = time;
        _onError = onError;
        try
        {
            // A single file is watched through its folder: editors replace files by rename, which a watch on the
            // file itself would not survive. Events for neighbouring files only cost a stat.
            foreach (var (folder, recursive) in roots.Select(r => r.IsDirectory ? (r.FullPath, true) : (Path.GetDirectoryName(r.FullPath)!, false)).Distinct())
            {
                _watchers.Add(Watch(folder, recursive));
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Waits for the next batch of changes, debounced.</summary>
    public async Task<ManifestChanges> WaitAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _signal.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            while (true)
            {
                TimeSpan wait;
                lock (_gate)
                {
                    if (!_batchOpen)
                    {
                        break; // a stale signal: its events went out with the previous batch
                    }

                    var untilQuiet = Quiet - _time.GetElapsedTime(_lastEvent);
                    var untilDeadline = MaxDelay - _time.GetElapsedTime(_firstEvent);
                    wait = untilQuiet < untilDeadline ? untilQuiet : untilDeadline;
                    if (wait <= TimeSpan.Zero)
                    {
                        var changes = new ManifestChanges(_paths, _readAll);
                        _paths = new HashSet<string>(StringComparer.Ordinal);
                        _readAll = false;
                        _batchOpen = false;
                        return changes;
                    }
                }

                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public void Dispose()
    {
        foreach (var watcher in _watchers)
        {
            watcher.Dispose();
        }

        _watchers.Clear();
    }

    private FileSystemWatcher Watch(string folder, bool recursive)
    {
        var watcher = new FileSystemWatcher(folder)
        {
            IncludeSubdirectories = recursive,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
            InternalBufferSize = 64 * 1024,
        };
        watcher.Created += (_, e) => Record(e.FullPath, readAll: false);
        watcher.Changed += (_, e) => Record(e.FullPath, readAll: false);
        watcher.Deleted += (_, e) => Record(e.FullPath, readAll: false);
        watcher.Renamed += (_, e) =>
        {
            Record(e.OldFullPath, readAll: false);
            Record(e.FullPath, readAll: false);
        };
        watcher.Error += (_, e) =>
        {
            _onError(folder, e.GetException());
            Record(folder, readAll: true);
        };
        try
        {
            watcher.EnableRaisingEvents = true;
        }
        catch (IOException ex)
        {
            // Typically the inotify instance limit; the message does not say which folder.
            watcher.Dispose();
            throw new IOException($"Cannot watch manifest folder '{folder}': {ex.Message}", ex);
        }

        return watcher;
    }

    private void Record(string path, bool readAll)
    {
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            if (!_batchOpen)
            {
                _batchOpen = true;
                _firstEvent = now;
            }

            _lastEvent = now;
            _paths.Add(path);
            _readAll |= readAll;
        }

        _signal.Writer.TryWrite(true);
    }
}
