using KubeDns.Zone;
using Microsoft.Extensions.Hosting;

namespace KubeDns.Memory;

/// <summary>
/// Gives the memory of a burst of changes back to the system once the burst is over. A first load, a relist
/// or a rewrite of every manifest allocates several times the served state in short-lived parse objects; the
/// GC keeps the space it grew to, and an idle server runs no further collection that would decommit it, so
/// the RSS stays at the burst's height (issue 14: 138 MiB anonymous memory for 56 MiB live after a load from
/// files). After at least <see cref="BurstChanges"/> object changes and <see cref="QuietPeriod"/> without
/// any, one blocking compacting collection in aggressive mode (which decommits what is free) runs. Ordinary
/// churn never reaches it: it needs the quiet period, and the GC handles steady allocation by itself.
/// </summary>
internal sealed class BurstMemoryRelease : BackgroundService
{
    /// <summary>Changes that make a burst: a relist or a full rewrite of a small cluster is already one.</summary>
    public const int BurstChanges = 5_000;

    public static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(1);

    /// <summary>A check reads one counter; a quarter second keeps the release within 1.25 s of the burst's end.</summary>
    private static readonly TimeSpan CheckEvery = TimeSpan.FromMilliseconds(250);

    private readonly ZoneStore _zone;
    private readonly TimeProvider _time;
    private readonly Action _release;
    private long _seen;
    private long _sinceRelease;
    private long _lastChangeAt;
    private long _releases;

    /// <param name="release">What gives the memory back (tests count calls); by default the aggressive collection.</param>
    public BurstMemoryRelease(ZoneStore zone, TimeProvider time, Action? release = null)
    {
        _zone = zone;
        _time = time;
        _release = release ?? CollectAggressively;
        _seen = zone.ChangesApplied;
        _lastChangeAt = time.GetTimestamp();
    }

    /// <summary>Collections run so far (<c>kubedns_memory_releases_total</c>).</summary>
    public long Releases => Interlocked.Read(ref _releases);

    /// <summary>One check: notes new changes, and releases once a burst has been followed by quiet.</summary>
    public void Check()
    {
        var applied = _zone.ChangesApplied;
        if (applied != _seen)
        {
            _sinceRelease += applied - _seen;
            _seen = applied;
            _lastChangeAt = _time.GetTimestamp();
            return;
        }

        if (_sinceRelease >= BurstChanges && _time.GetElapsedTime(_lastChangeAt) >= QuietPeriod)
        {
            _sinceRelease = 0;
            _release();
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
