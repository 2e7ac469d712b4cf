using System.Net.Sockets;
using KubeDns.Cluster;
using KubeDns.Cluster.Kubernetes;
using KubeDns.Cluster.Manifests;
using KubeDns.ProxyRules.Iptables;
using KubeDns.ProxyRules.Model;
using KubeDns.ProxyRules.Nftables;
using KubeDns.ProxyRules.Sync;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KubeDns.ProxyRules.Hosting;

/// <summary>
/// Wires a source (manifests or the API) into a <see cref="ClusterView"/>, one <see cref="FamilyRules"/> per IP
/// family, and a <see cref="RuleSyncer"/>: one sync and exit, or (<c>--watch</c>) syncs until stopped.
/// Exit codes: 0 done, 1 a load failed (one-shot) or the source could not start.
/// </summary>
internal static class ProxyRulesRunner
{
    public static async Task<int> RunAsync(ProxyRulesOptions options, TextWriter output, CancellationToken stopping)
    {
        using var loggers = LoggerFactory.Create(builder => builder
            .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddSimpleConsole(console => console.SingleLine = true)
            .AddFilter("Microsoft", LogLevel.Warning)
            .SetMinimumLevel(options.Watch || options.Apply ? LogLevel.Information : LogLevel.Warning));
        // Logs go to standard error: standard output is the rule program.
        var logger = loggers.CreateLogger("kubedns-proxy-rules");
        if (options.Apply && options.NodeName is null)
        {
            // kube-proxy defaults to the host name; here the rules may be for another node, so it is not guessed.
            await Console.Error.WriteLineAsync("kubedns-proxy-rules: warning: no --node-name: no endpoint counts as local, so services with a Local traffic policy drop their traffic on this node").ConfigureAwait(false);
        }

        using var view = new ClusterView();
        var families = options.Families.Select(family => CreateFamily(options, family, options.Apply ? null : output)).ToList();
        var syncer = new RuleSyncer(view, families, new SyncTiming(options.MinSyncGap, options.FullSyncPeriod), logger);

        IHostedService source;
        var sync = new ClusterSyncState();
        try
        {
            source = CreateSource(options, view, sync, loggers);
            await source.StartAsync(stopping).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ArgumentException or InvalidOperationException or k8s.Exceptions.KubeConfigException)
        {
            await Console.Error.WriteLineAsync($"kubedns-proxy-rules: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        try
        {
            // Rules from a half-listed cluster would reject services whose endpoints are not listed yet: wait for
            // every kind (the API source has waited its start-up timeout; one-shot runs give up then).
            while (!sync.AllSynced)
            {
                if (!options.Watch)
                {
                    await Console.Error.WriteLineAsync($"kubedns-proxy-rules: not synced: {string.Join(", ", sync.Pending)}; no rules written").ConfigureAwait(false);
                    return 1;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(200), stopping).ConfigureAwait(false);
            }

            if (!options.Watch)
            {
                return await syncer.SyncAndCleanUpAsync(stopping).ConfigureAwait(false) ? 0 : 1;
            }

            await syncer.RunAsync(stopping).ConfigureAwait(false);
            return 0;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping is how --watch ends; a one-shot run stopped half way did not do its work.
            return options.Watch ? 0 : 1;
        }
        finally
        {
            await source.StopAsync(CancellationToken.None).ConfigureAwait(false);
            (source as IDisposable)?.Dispose();
        }
    }

    private static FamilyRules CreateFamily(ProxyRulesOptions options, AddressFamily family, TextWriter? output)
    {
        var v6 = family == AddressFamily.InterNetworkV6;
        var settings = new RuleSettings(
            family,
            options.ClusterCidrs.FirstOrDefault(c => c.Contains(':', StringComparison.Ordinal) == v6),
            options.MasqueradeAll,
            options.NodeName,
            options.NodeIPs);
        var label = v6 ? "ipv6" : "ipv4";
        return options.Mode switch
        {
            RuleMode.Nftables => new FamilyRules(
                settings,
                new NftablesRules(settings),
                options.Apply ? new CommandLoader(new(["nft", "-f", "-"], null, NftListing.Command(v6), NftListing.OwnedObjects)) : null,
                output,
                label),
            _ => CreateIptablesFamily(options, settings, v6, output, label),
        };
    }

    private static FamilyRules CreateIptablesFamily(ProxyRulesOptions options, RuleSettings settings, bool v6, TextWriter? output, string label)
    {
        var binary = v6 ? "ip6tables" : "iptables";
        // Printing writes kube-proxy's layout unless told otherwise: what this machine's iptables is says
        // nothing about where a printed program goes. Applying writes the compact one where the kernel takes it.
        var nfTables = options.Apply && IptablesBackend.IsNfTables(binary);
        var layout = options.IptablesLayout ?? (options.Apply ? AppliedLayout(binary, v6) : IptablesLayout.KubeProxy);
        return new FamilyRules(
            settings,
            new IptablesRules(settings, layout: layout, wholeTableCache: nfTables),
            options.Apply
                ? new CommandLoader(new(
                    [binary + "-restore", "-w", IptablesEntryPoints.LockWaitSeconds, "--noflush"],
                    IptablesEntryPoints.For(binary),
                    [binary + "-save", "-t", "nat"],
                    IptablesListing.OwnedChains))
                : null,
            output,
            label);
    }

    private static IptablesLayout AppliedLayout(string binary, bool v6)
    {
        if (BpfMatchProbe.WhyNot(binary, v6) is not { } reason)
        {
            return IptablesLayout.Compact;
        }

        Console.Error.WriteLine($"kubedns-proxy-rules: warning: the kernel did not take the compact layout's bpf match ({reason}); writing kube-proxy's layout, which loads slower at scale");
        return IptablesLayout.KubeProxy;
    }

    private static IHostedService CreateSource(ProxyRulesOptions options, ClusterView view, ClusterSyncState sync, ILoggerFactory loggers)
    {
        if (!options.UseApi)
        {
            return new ManifestSource(options.Manifests, view, sync, loggers.CreateLogger<ManifestSource>(), TimeProvider.System);
        }

        return new ApiSource(
            new ApiSourceOptions { Kubeconfig = options.Kubeconfig, Context = options.KubeContext, StartupTimeout = options.SyncTimeout },
            view,
            sync,
            new ProgrammingLatency(),
            loggers,
            TimeProvider.System);
    }
}
