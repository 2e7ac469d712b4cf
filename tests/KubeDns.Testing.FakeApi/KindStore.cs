using System.Collections.Immutable;

namespace KubeDns.Testing.FakeApi;

/// <summary>
/// Everything the server keeps for one kind: the objects (sorted by key, immutable so a paged list reads
/// one consistent snapshot), the event history watches resume from, the open watches and the injected
/// faults. Not thread-safe: the server holds its lock around every use.
/// </summary>
internal sealed class KindStore
{
    /// <summary>Paged-list snapshots kept per kind; older continue tokens get 410 as after a compaction.</summary>
    private const int MaxSnapshots = 8;

    private readonly Queue<long> _snapshotOrder = new();
    private TaskCompletionSource? _silence;

    public KindStore(KindInfo info) => Info = info;

    public KindInfo Info { get; }

    public ImmutableList<StoredObject> Objects { get; set; } = [];

    /// <summary>Events in resourceVersion order, since the last <see cref="FakeApiServer.ExpireHistory"/>.</summary>
    public List<StoredEvent> History { get; } = [];

    /// <summary>A watch from a resourceVersion below this gets 410 Expired.</summary>
    public long Floor { get; set; }

    public Dictionary<long, ImmutableList<StoredObject>> Snapshots { get; } = [];

    public HashSet<WatchConnection> Watches { get; } = [];

    public HashSet<ApiVerb> Forbidden { get; } = [];

    public Queue<int> ListFailures { get; } = new();

    public Queue<int> WatchFailures { get; } = new();

    public int ListRequests { get; set; }

    public int WatchRequests { get; set; }

    /// <summary>Watch streams that got as far as streaming (registered with their backlog queued).</summary>
    public int WatchesStarted { get; set; }

    /// <summary>Completes when the kind is not silenced; watch handlers wait on it before every write.</summary>
    public Task WhenAudible => _silence?.Task ?? Task.CompletedTask;

    public void Silence() => _silence ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Unsilence()
    {
        _silence?.TrySetResult();
        _silence = null;
    }

    /// <summary>The index of the object with this key, or the bitwise complement of where it would go.</summary>
    public static int Find(ImmutableList<StoredObject> objects, string key)
    {
        int low = 0, high = objects.Count - 1;
        while (low <= high)
        {
            var mid = low + ((high - low) / 2);
            var order = string.CompareOrdinal(objects[mid].Key, key);
            if (order == 0)
            {
                return mid;
            }

            if (order < 0)
            {
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }

        return ~low;
    }

    public void KeepSnapshot(long resourceVersion, ImmutableList<StoredObject> objects)
    {
        if (!Snapshots.TryAdd(resourceVersion, objects))
        {
            return;
        }

        _snapshotOrder.Enqueue(resourceVersion);
        while (_snapshotOrder.Count > MaxSnapshots)
        {
            Snapshots.Remove(_snapshotOrder.Dequeue());
        }
    }

    public void ForgetSnapshots()
    {
        Snapshots.Clear();
        _snapshotOrder.Clear();
    }

    /// <summary>The index of the first history event after a resourceVersion.</summary>
    public int FirstEventAfter(long resourceVersion)
    {
        int low = 0, high = History.Count;
        while (low < high)
        {
            var mid = low + ((high - low) / 2);
            if (History[mid].ResourceVersion <= resourceVersion)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }
}
