namespace KubeDns.ProxyRules.Sync;

/// <summary>
/// kube-proxy's sync pacing: at most one sync per <see cref="MinGap"/> (changes arriving meanwhile are batched
/// into the next one; <c>--iptables-min-sync-period</c>, 1 s) and a full sync at least every
/// <see cref="FullResync"/> (FullSyncPeriod, 1 hour), which repairs anything else changed in the tables.
/// </summary>
internal sealed record SyncTiming(TimeSpan MinGap, TimeSpan FullResync);
