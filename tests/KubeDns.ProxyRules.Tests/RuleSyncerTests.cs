using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using KubeDns.Cluster.Model;
using KubeDns.ProxyRules.Iptables;
using KubeDns.ProxyRules.Nftables;
using KubeDns.ProxyRules.Model;
using KubeDns.ProxyRules.Sync;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeDns.ProxyRules.Tests;

/// <summary>Sync pacing: bursts batched by the minimum gap, partial syncs of the changed services, a full sync after a failed load.</summary>
public sealed class RuleSyncerTests
{
    private static readonly RuleSettings Settings = new(AddressFamily.InterNetwork, "10.0.0.0/8");

    [Fact]
    public async Task ABurstOfChanges_IsOnePartialSyncOfTheChangedServices()
    {
        using var view = new ClusterView();
        var loader = new RecordingLoader();
        var reports = new BlockingCollection<SyncReport>();
        var syncer = new RuleSyncer(view, [new FamilyRules(Settings, new IptablesRules(Settings), loader, null, "ipv4")], new SyncTiming(TimeSpan.FromMilliseconds(300), TimeSpan.FromHours(1)), NullLogger.Instance);
        syncer.Synced += reports.Add;
        view.Apply([.. Enumerable.Range(1, 3).Select(i => ClusterChange.Upsert(Service(i)))]);
        using var stop = new CancellationTokenSource();
        var running = Task.Run(() => syncer.RunAsync(stop.Token));

        Assert.True(Take(reports).Full);
        foreach (var i in new[] { 1, 3, 1 })
        {
            view.Apply([ClusterChange.Upsert(Service(i) with { Ports = ImmutableArray.Create(new ServicePortInfo("p", "TCP", 81, 0, 81)) })]);
            view.Apply([ClusterChange.Upsert(Slice(i))]);
        }

        var partial = Take(reports);
        await StopAsync(stop, running);

        Assert.False(partial.Full);
        Assert.Equal(4, partial.RewrittenChains); // svc1 and svc3: a KUBE-SVC and a KUBE-SEP chain each
        Assert.Equal(2, loader.Programs.Count);
        Assert.Contains(":KUBE-SVC-", loader.Programs[1], StringComparison.Ordinal);
        // svc2 did not change: only its KUBE-SERVICES rule (that chain is rewritten whole on every sync).
        Assert.DoesNotContain(loader.Programs[1].Split('\n'), l => l.Contains("ns/svc2", StringComparison.Ordinal) && !l.StartsWith("-A KUBE-SERVICES", StringComparison.Ordinal));
        Assert.Contains(loader.Programs[1].Split('\n'), l => l.Contains("ns/svc2", StringComparison.Ordinal));
        Assert.Empty(reports);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AFailedLoad_IsRetriedAsAFullSync_WithoutWaitingForAChange(bool loaderThrows)
    {
        using var view = new ClusterView();
        var loader = new RecordingLoader { FailuresLeft = 1, Throw = loaderThrows };
        var reports = new BlockingCollection<SyncReport>();
        var syncer = new RuleSyncer(view, [new FamilyRules(Settings, new IptablesRules(Settings), loader, null, "ipv4")], new SyncTiming(TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1)), NullLogger.Instance);
        syncer.Synced += reports.Add;
        view.Apply([ClusterChange.Upsert(Service(1)), ClusterChange.Upsert(Slice(1))]);
        using var stop = new CancellationTokenSource();
        var running = Task.Run(() => syncer.RunAsync(stop.Token));

        var failed = Take(reports);
        var retried = Take(reports);
        await StopAsync(stop, running);

        Assert.NotNull(failed.Error);
        Assert.Contains(loaderThrows ? "Broken pipe" : "line 7 failed", failed.Error, StringComparison.Ordinal);
        Assert.Null(retried.Error);
        Assert.True(retried.Full);
        Assert.Equal(loader.Programs[0], loader.Programs[1]);
    }

    [Fact]
    public async Task AListingThatFails_FailsTheFullSync_NothingIsWrittenBlind_AndTheRetryLoads()
    {
        using var view = new ClusterView();
        var loader = new RecordingLoader { ListFailuresLeft = 1 };
        var family = new FamilyRules(Settings, new NftablesRules(Settings), loader, null, "ipv4");
        view.Apply([ClusterChange.Upsert(Service(1)), ClusterChange.Upsert(Slice(1))]);

        var failed = await family.SyncAsync(view.TakeSnapshot(), forceFull: false, CancellationToken.None);
        var retried = await family.SyncAsync(view.TakeSnapshot(), forceFull: false, CancellationToken.None);

        Assert.Contains("could not list the kernel's rules: nft: netlink busy", failed.Error, StringComparison.Ordinal);
        Assert.Single(loader.Programs);
        Assert.True(retried.Full);
        Assert.Null(retried.Error);
    }

    /// <summary>Stops the loop: it ends at its next wait, with or without an OperationCanceledException.</summary>
    private static async Task StopAsync(CancellationTokenSource stop, Task running)
    {
        await stop.CancelAsync();
        try
        {
            await running;
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static SyncReport Take(BlockingCollection<SyncReport> reports) =>
        reports.TryTake(out var report, TimeSpan.FromSeconds(10)) ? report : throw new TimeoutException("no sync within 10 s");

    private static ServiceInfo Service(int i) => new(
        "ns", $"svc{i}", ServiceKind.ClusterIP, ImmutableArray.Create(IPAddress.Parse($"10.96.0.{i}")), null,
        ImmutableArray.Create(new ServicePortInfo("p", "TCP", 80, 0, 80)), null, false);

    private static EndpointSliceInfo Slice(int i) => new(
        "ns", $"svc{i}-a", $"svc{i}", ImmutableArray.Create(new EndpointPortInfo("p", "TCP", 80)),
        ImmutableArray.Create(new EndpointInfo(ImmutableArray.Create(IPAddress.Parse($"10.180.0.{i}")), true, true, false, null, null, null)));

    /// <summary>
    /// Keeps every program it is given; fails the first <see cref="FailuresLeft"/> loads, by throwing when
    /// <see cref="Throw"/> is set (as a loader that could not be run at all would).
    /// </summary>
    private sealed class RecordingLoader : IRuleLoader
    {
        public int FailuresLeft { get; set; }

        public int ListFailuresLeft { get; set; }

        public bool Throw { get; init; }

        public List<string> Programs { get; } = [];

        public Task<LoadResult> LoadAsync(string program, CancellationToken cancellationToken)
        {
            Programs.Add(program);
            if (FailuresLeft-- <= 0)
            {
                return Task.FromResult(LoadResult.Ok);
            }

            return Throw ? throw new IOException("Broken pipe") : Task.FromResult(new LoadResult(false, "iptables-restore: line 7 failed"));
        }

        public Task<(IReadOnlySet<string> Owned, string? Error)> ListOwnedAsync(CancellationToken cancellationToken) =>
            Task.FromResult<(IReadOnlySet<string>, string?)>((new HashSet<string>(), ListFailuresLeft-- > 0 ? "nft: netlink busy" : null));

        public Task<LoadResult> EnsureEntryPointsAsync(CancellationToken cancellationToken) => Task.FromResult(LoadResult.Ok);
    }
}
