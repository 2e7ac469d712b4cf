using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

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
internal sealed partial class BurstMemoryRelease : BackgroundService
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
    private readonly ILogger? _logger;
    private long _seen;
    private long _seenAt;
    private long _sinceRelease;
    private long _busyAt;
    private long _releases;

    /// <param name="allocatedBytes">Bytes allocated since start (tests drive it); by default the GC's count.</param>
    /// <param name="release">What gives the memory back (tests count calls); by default the aggressive collection.</param>
    public BurstMemoryRelease(TimeProvider time, ILogger<BurstMemoryRelease>? logger = null, Func<long>? allocatedBytes = null, Action? release = null)
    {
        _logger = logger;
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
            Release();
            _sinceRelease = 0;
            _seen = _allocatedBytes(); // the collection's own bookkeeping is not the next burst
            Interlocked.Increment(ref _releases);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(CheckEvery, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                Check();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping (or start-up failed before the host could stop us): nothing to release any more.
        }
    }

    private void Release()
    {
        var before = Environment.WorkingSet;
        var clock = Stopwatch.StartNew();
        _release();
        if (_logger is not null)
        {
            Log.Released(_logger, _sinceRelease >> 20, before >> 20, Environment.WorkingSet >> 20, clock.Elapsed.TotalMilliseconds);
        }
    }

    private static void CollectAggressively() =>
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Gave back the memory of an allocation burst ({BurstMiB} MiB allocated): RSS {BeforeMiB} -> {AfterMiB} MiB, in {Milliseconds:F0} ms")]
        public static partial void Released(ILogger logger, long burstMiB, long beforeMiB, long afterMiB, double milliseconds);
    }
}
