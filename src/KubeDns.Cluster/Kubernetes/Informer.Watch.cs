using KubeDns.Cluster.Model;
using KubeDns.Cluster.Wire;

namespace KubeDns.Cluster.Kubernetes;

/// <summary>One watch stream: events in, changes out, and the watchdog.</summary>
internal sealed partial class Informer
{
    /// <summary>A status error the current stream reported through onError, raised when the stream ends.</summary>
    private Exception? _streamError;

    /// <summary>
    /// Watches from <paramref name="version"/> until the stream ends and returns the version to resume from.
    /// A 410 Expired does not throw (<see cref="WatchStream"/>, as KubernetesClient's watcher): it arrives in
    /// <c>onError</c> and the stream then ends normally, so it is caught there and rethrown here to force a relist. A stream silent for longer than
    /// the watchdog is cancelled and resumed.
    /// </summary>
    private async Task<string> WatchAsync(string version, CancellationToken stopping)
    {
        Watches++;
        _streamError = null;
        using var watchdog = new CancellationTokenSource(_settings.Watchdog, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, watchdog.Token);
        var timeout = (int)Math.Ceiling(_settings.WatchTimeout.TotalSeconds);
        var events = _resource.Watch(_client, version, LabelSelector, timeout, OnStreamError, linked.Token);
        try
        {
            await foreach (var (type, item) in events.ConfigureAwait(false))
            {
                watchdog.CancelAfter(_settings.Watchdog);
                version = Apply(type, item) ?? version;
                _version = version; // kept at once: if the stream throws next, the resume starts here (see _version)
                Recovered();
                _backoff.Reset();
            }
        }
        catch (OperationCanceledException) when (watchdog.IsCancellationRequested && !stopping.IsCancellationRequested)
        {
            Log.WatchSilent(_logger, SourceName, _settings.Watchdog);
            return version;
        }

        if (_streamError is { } error)
        {
            throw error;
        }

        Recovered(); // A stream that ran to its timeout proves the API answers, even with no event in it.
        return version;
    }

    /// <summary>Applies one event; returns the version it carries.</summary>
    private string? Apply(WatchEventType type, IWireObject item)
    {
        var arrived = _time.GetTimestamp();
        var changes = new List<ClusterChange>(1);
        switch (type)
        {
            case WatchEventType.Added:
            case WatchEventType.Modified:
                Consider(item, changes);
                break;
            case WatchEventType.Deleted when item.Metadata is { } metadata:
                var key = _resource.KeyOf(metadata);
                if (_known.Remove(key))
                {
                    changes.Add(ClusterChange.Delete(_resource.Kind, key));
                }

                break;
            case WatchEventType.Bookmark:
                break; // Only moves the version forward.
            default:
                return null;
        }

        Deliver(changes, arrived);
        return item.Metadata?.ResourceVersion;
    }

    /// <summary>
    /// <see cref="WatchStream"/> reports stream-level problems here: a 410 Expired status (rethrown after the stream
    /// ends, to relist), or a line that did not parse (logged; the stream goes on).
    /// </summary>
    private void OnStreamError(Exception error)
    {
        if (ApiFailure.IsExpired(error) || ApiFailure.IsStatus(error))
        {
            _streamError ??= error;
            return;
        }

        Log.BadEvent(_logger, SourceName, error.Message);
    }
}
