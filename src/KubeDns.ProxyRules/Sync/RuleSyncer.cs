using Microsoft.Extensions.Logging;

namespace KubeDns.ProxyRules.Sync;

/// <summary>
/// Keeps the rules in step with the cluster: a full sync first, then a sync whenever the view changes, no two
/// closer than <see cref="SyncTiming.MinGap"/>; partial unless a full one is due (periodic, or after a failed
/// load, which is retried after the gap).
/// </summary>
internal sealed partial class RuleSyncer(ClusterView view, IReadOnlyList<FamilyRules> families, SyncTiming timing, ILogger logger)
{
    private int _syncs;

    /// <summary>Called after every sync of every family (tests and the one-shot mode read it).</summary>
    public event Action<SyncReport>? Synced;

    /// <summary>One sync of every family; true when all of them loaded.</summary>
    public async Task<bool> SyncOnceAsync(bool full, CancellationToken cancellationToken)
    {
        var snapshot = view.TakeSnapshot();
        var succeeded = true;
        var number = ++_syncs;
        foreach (var family in families)
        {
            var report = await family.SyncAsync(snapshot, full, cancellationToken).ConfigureAwait(false);
            if (report.Error is { } error)
            {
                succeeded = false;
                LogFailed(logger, number, report.Family, error);
            }
            else
            {
                LogSynced(logger, number, report.Family, report.Full ? "full" : "partial", snapshot.ChangedServices.Count, report.ServicePorts,
                    report.RewrittenChains, report.DeletedChains, report.Bytes, report.Written.TotalMilliseconds, report.Loaded.TotalMilliseconds);
            }

            Synced?.Invoke(report);
        }

        return succeeded;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var lastFull = DateTimeOffset.UtcNow;
        var ok = await SyncOnceAsync(full: true, cancellationToken).ConfigureAwait(false);
        while (!cancellationToken.IsCancellationRequested)
        {
            var lastSync = DateTimeOffset.UtcNow;
            var fullDue = lastFull + timing.FullResync - lastSync;
            if (ok)
            {
                // A failed load is retried after the gap even when nothing changes.
                await view.WaitForChangeAsync(fullDue > TimeSpan.Zero ? fullDue : TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            }

            var gap = lastSync + timing.MinGap - DateTimeOffset.UtcNow;
            if (gap > TimeSpan.Zero)
            {
                await Task.Delay(gap, cancellationToken).ConfigureAwait(false);
            }

            var full = DateTimeOffset.UtcNow - lastFull >= timing.FullResync;
            if (full)
            {
                lastFull = DateTimeOffset.UtcNow;
            }

            ok = await SyncOnceAsync(full, cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "sync {Number} {Family} {Kind}: {Changed} services changed, {Ports} service ports, {Rewritten} chains written, {Deleted} deleted, {Bytes} bytes, written in {WriteMs:F1} ms, loaded in {LoadMs:F1} ms")]
    private static partial void LogSynced(ILogger logger, int number, string family, string kind, int changed, int ports, int rewritten, int deleted, int bytes, double writeMs, double loadMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "sync {Number} {Family} failed, nothing of it applied; the next sync is a full one: {Error}")]
    private static partial void LogFailed(ILogger logger, int number, string family, string error);
}
