using Microsoft.Extensions.Hosting;

namespace KubeDns.Memory;

/// <summary>
/// Gives the memory of an allocation burst back to the system once the burst is over. A first load, a relist
/// or a rewrite of every manifest allocates several times the served state in short-lived parse objects; the
/// GC keeps the space it grew to, and an idle server (the query path allocates nothing) runs no further
/// collection that would decommit it, so the RSS stays at the burst's height (issue 14: 138 MiB anonymous
/// memory for 56 MiB live after a load from files). After <see cref="BurstBytes"/> allocated and then
/// <see cref="QuietPeriod"/> in which less than <see cref="QuietBytesPerSecond"/> is, one blocking compacting
/// collection in aggressive mode (which decommits what is free) runs. Steady allocation never reaches it: it
/// needs the quiet period, and the GC then collects by itself.
/// </summary>
internal sealed class BurstMemoryRelease : BackgroundService
{
    /// <summary>Allocation that makes a burst: a relist or a load of a few thousand objects.</summary>
    public const long BurstBytes = 64L << 20;

    /// <summary>Less than this per second is quiet (answers from the cluster zone allocate nothing).</summary>
    public const long QuietBytesPerSecond = 1L << 20;

    public static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(1);

    /// <summary>A check reads one counter; a quarter second keeps the release within 1.25 s of the burst's end.</summary>
    public static readonly TimeSpan CheckEvery = TimeSpan.FromMilliseconds(250);

    private readonly TimeProvider _time;
    private readonly Func<long> _allocatedBytes;
    private readonly Action _release;
    private long _seen;
    private long _seenAt;
    private long _sinceRelease;
    private long _busyAt;
    private long _releases;

    /// <param name="allocatedBytes">Bytes allocated since start (tests drive it); by default the GC's count.</param>
    /// <param name="release">What gives the memory back (tests count calls); by default the aggressive collection.</param>
    public BurstMemoryRelease(TimeProvider time, Func<long>? allocatedBytes = null, Action? release = null)
    {
        _time = time;
        _allocatedBytes = allocatedBytes ?? (static () => GC.GetTotalAllocatedBytes(precise: false));
        _release = release ?? CollectAggressively;
        _seen = _allocatedBytes();
        _seenAt = _busyAt = time.GetTimestamp();
    }

    /// <summary>Collections run so far (<c>kubedns_memory_releases_total</c>).</summary>
    public long Releases => Interlocked.Read(ref _releases);

    /// <summary>One check: adds up what was allocated, and releases once a burst has been followed by quiet.</summary>
    public void Check()
    {
        var now = _time.GetTimestamp();
        var allocated = _allocatedBytes();
        var delta = allocated - _seen;
        var elapsed = _time.GetElapsedTime(_seenAt, now);
        _seen = allocated;
        _seenAt = now;
        _sinceRelease += delta;
        if (delta > QuietBytesPerSecond * Math.Max(elapsed.TotalSeconds, CheckEvery.TotalSeconds))
        {
            _busyAt = now;
            return;
        }

        if (_sinceRelease >= BurstBytes && _time.GetElapsedTime(_busyAt, now) >= QuietPeriod)
        {
            _release();
            _sinceRelease = 0;
            _seen = _allocatedBytes(); // the collection's own bookkeeping is not the next burst
            Interlocked.Increment(ref _releases);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(CheckEvery, _time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            Check();
        }
    }

    private static void CollectAggressively() =>
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
}
