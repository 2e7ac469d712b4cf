namespace KubeDns.Testing.FakeApi;

/// <summary>What tests can observe: the request log, request counts, open watches, and a wait for a condition.</summary>
public sealed partial class FakeApiServer
{
    /// <summary>A copy of every request received so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>List requests of a kind received so far (each page counts; failed ones too).</summary>
    public int ListRequests(ApiKind kind)
    {
        lock (_gate)
        {
            return Store(kind).ListRequests;
        }
    }

    /// <summary>Watch requests of a kind received so far (failed ones too).</summary>
    public int WatchRequests(ApiKind kind)
    {
        lock (_gate)
        {
            return Store(kind).WatchRequests;
        }
    }

    /// <summary>
    /// Watch streams of a kind started so far: registered, with their backlog queued, so any change made
    /// from now on reaches them. Compare before and after opening a watch to know it is live.
    /// </summary>
    public int WatchesStarted(ApiKind kind)
    {
        lock (_gate)
        {
            return Store(kind).WatchesStarted;
        }
    }

    /// <summary>Watch responses of a kind currently streaming.</summary>
    public int OpenWatches(ApiKind kind)
    {
        lock (_gate)
        {
            return Store(kind).Watches.Count;
        }
    }

    /// <summary>
    /// Waits until a condition on this server holds, re-checking whenever a request arrives, a watch opens
    /// or closes, or an object changes; no polling interval.
    /// </summary>
    /// <exception cref="TimeoutException">It did not hold within the time (default 5 s).</exception>
    public async Task WaitForAsync(Func<bool> condition, string what, TimeSpan? within = null)
    {
        // Real time even when the server runs on a fake clock: this bounds how long a test waits.
        var started = TimeProvider.System.GetTimestamp();
        var limit = within ?? TimeSpan.FromSeconds(5);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                changed = _changed.Task;
            }

            if (condition())
            {
                return;
            }

            var left = limit - TimeProvider.System.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"{what} did not happen within {limit.TotalMilliseconds} ms.");
            }

            try
            {
                await changed.WaitAsync(left);
            }
            catch (TimeoutException)
            {
                // Loop once more: the condition is checked before giving up.
            }
        }
    }

    /// <summary>Waits until <see cref="WatchesStarted"/> of a kind reaches a count.</summary>
    public Task WaitForWatchesStartedAsync(ApiKind kind, int count, TimeSpan? within = null) =>
        WaitForAsync(() => WatchesStarted(kind) >= count, $"{count} started {kind} watch(es)", within);
}
