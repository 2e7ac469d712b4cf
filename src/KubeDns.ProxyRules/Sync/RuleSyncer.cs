using Microsoft.Extensions.Logging;

namespace KubeDns.ProxyRules.Sync;

/// <summary>
/// Keeps the rules in step with the cluster: a full sync first, then a sync whenever the view changes, no two
/// closer than <see cref="SyncTiming.MinGap"/>; partial unless a full one is due (periodic, or after a failure).
/// A failed sync is retried without waiting for a change, after a gap that doubles with each failure in a row up
/// to <see cref="RetryCap"/>; a sync that left stale chains to delete is followed by one that deletes them.
/// </summary>
internal sealed partial class RuleSyncer(ClusterView view, IReadOnlyList<FamilyRules> families, SyncTiming timing, ILogger logger)
{
    /// <summary>The longest wait between retries: kube-proxy's default sync period.</summary>
    public static readonly TimeSpan RetryCap = TimeSpan.FromSeconds(30);

    private int _syncs;

    /// <summary>Called after every sync of every family (the tests read it).</summary>
    public event Action<SyncReport>? Synced;

    /// <summary>One sync of every family: whether all of them loaded, and whether one left stale chains to delete.</summary>
    public async Task<SyncOutcome> SyncOnceAsync(bool full, CancellationToken cancellationToken)
    {
        var snapshot = view.TakeSnapshot();
        var outcome = new SyncOutcome(true, false);
        var number = ++_syncs;
        foreach (var family in families)
        {
            var report = await family.SyncAsync(snapshot, full, cancellationToken).ConfigureAwait(false);
            if (report.Error is { } error)
            {
                outcome = outcome with { Succeeded = false };
                LogFailed(logger, number, report.Family, error);
            }
            else
            {
                outcome = outcome with { CleanupPending = outcome.CleanupPending || report.Emptied > 0 };
                LogSynced(logger, number, report.Family, report.Full ? "full" : "partial", snapshot.ChangedServices.Count, report.ServicePorts,
                    report.RewrittenChains, report.DeletedChains, report.Emptied, report.Bytes, report.Written.TotalMilliseconds, report.Loaded.TotalMilliseconds);
            }

            Synced?.Invoke(report);
        }

        return outcome;
    }

    /// <summary>
    /// The one-shot sync: a full sync, and when it left stale chains, a second one after the gap that deletes
    /// them. True when every load succeeded.
    /// </summary>
    public async Task<bool> SyncAndCleanUpAsync(CancellationToken cancellationToken)
    {
        var outcome = await SyncOnceAsync(full: true, cancellationToken).ConfigureAwait(false);
        if (outcome is { Succeeded: true, CleanupPending: true })
        {
            await Task.Delay(timing.MinGap, cancellationToken).ConfigureAwait(false);
            outcome = await SyncOnceAsync(full: false, cancellationToken).ConfigureAwait(false);
        }

        return outcome.Succeeded;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var lastFull = DateTimeOffset.UtcNow;
        var failures = 0;
        var outcome = await SyncOnceAsync(full: true, cancellationToken).ConfigureAwait(false);
        while (!cancellationToken.IsCancellationRequested)
        {
            var lastSync = DateTimeOffset.UtcNow;
            failures = outcome.Succeeded ? 0 : failures + 1;
            if (outcome is { Succeeded: true, CleanupPending: false })
            {
                var fullDue = lastFull + timing.FullResync - lastSync;
                await view.WaitForChangeAsync(fullDue > TimeSpan.Zero ? fullDue : TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            }

            var gap = lastSync + RetryGap(failures) - DateTimeOffset.UtcNow;
            if (gap > TimeSpan.Zero)
            {
                await Task.Delay(gap, cancellationToken).ConfigureAwait(false);
            }

            var full = DateTimeOffset.UtcNow - lastFull >= timing.FullResync;
            if (full)
            {
                lastFull = DateTimeOffset.UtcNow;
            }

            outcome = await SyncOnceAsync(full, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The gap before the next sync: the minimum, doubled for each failure in a row, at most <see cref="RetryCap"/>.</summary>
    private TimeSpan RetryGap(int failures)
    {
        var gap = timing.MinGap * Math.Pow(2, Math.Min(failures, 16));
        var cap = timing.MinGap > RetryCap ? timing.MinGap : RetryCap;
        return failures == 0 ? timing.MinGap : gap < cap ? gap : cap;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "sync {Number} {Family} {Kind}: {Changed} services changed, {Ports} service ports, {Rewritten} chains written, {Deleted} deleted, {Emptied} emptied for deletion next, {Bytes} bytes, written in {WriteMs:F1} ms, loaded in {LoadMs:F1} ms")]
    private static partial void LogSynced(ILogger logger, int number, string family, string kind, int changed, int ports, int rewritten, int deleted, int emptied, int bytes, double writeMs, double loadMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "sync {Number} {Family} failed, nothing of it applied; the next sync, a full one, follows after the retry gap: {Error}")]
    private static partial void LogFailed(ILogger logger, int number, string family, string error);
}

/// <summary>What one sync of every family came to.</summary>
internal sealed record SyncOutcome(bool Succeeded, bool CleanupPending);
