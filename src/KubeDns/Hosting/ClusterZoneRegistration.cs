using KubeDns.Cluster;
using KubeDns.Cluster.Kubernetes;
using KubeDns.Cluster.Manifests;
using KubeDns.Memory;
using KubeDns.Monitoring;
using KubeDns.Resolution;
using KubeDns.Upstream;
using KubeDns.Zone;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KubeDns.Hosting;

/// <summary>Wires cluster state into answers: sources → zone store → resolver.</summary>
internal static class ClusterZoneRegistration
{
    /// <summary>
    /// Registers the zone, the resolver and the configured sources. Call before the listeners: hosted
    /// services start in registration order, so the manifests are loaded before the first query arrives.
    /// </summary>
    public static IServiceCollection AddClusterZone(this IServiceCollection services, ServerOptions options)
    {
        services.AddSingleton<ClusterSyncState>();
        services.AddSingleton(new ZoneSettings(options));
        services.AddSingleton<ZoneStore>();
        services.AddSingleton<IClusterChangeSink>(static provider => provider.GetRequiredService<ZoneStore>());
        services.AddSingleton(static provider => new BurstMemoryRelease(provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<BurstMemoryRelease>>()));
        services.AddHostedService(static provider => provider.GetRequiredService<BurstMemoryRelease>());
        services.AddUpstreams(options);
        services.AddSingleton<IQueryHandler, ClusterResolver>();
        if (options.Manifests.Count > 0)
        {
            services.AddHostedService(provider => new ManifestSource(
                options.Manifests,
                provider.GetRequiredService<IClusterChangeSink>(),
                provider.GetRequiredService<ClusterSyncState>(),
                provider.GetRequiredService<ILogger<ManifestSource>>(),
                provider.GetRequiredService<TimeProvider>(),
                keepEndpointPodNames: options.EndpointPodNames));
        }

        if (options.UseApi)
        {
            services.AddSingleton<ProgrammingLatency>();
            services.AddSingleton(provider => new ApiSource(
                new ApiSourceOptions
                {
                    Kubeconfig = options.Kubeconfig,
                    Context = options.KubeContext,
                    Filter = new InformerFilter(options.Namespaces, options.Labels, KeepEndpointPodNames: options.EndpointPodNames),
                    WatchPods = options.Pods == PodsMode.Verified || options.Autopath,
                    StartupTimeout = options.StartupTimeout,
                },
                provider.GetRequiredService<IClusterChangeSink>(),
                provider.GetRequiredService<ClusterSyncState>(),
                provider.GetRequiredService<ProgrammingLatency>(),
                provider.GetRequiredService<ILoggerFactory>(),
                provider.GetRequiredService<TimeProvider>()));
            services.AddHostedService(static provider => provider.GetRequiredService<ApiSource>());
        }

        return services;
    }

    /// <summary>
    /// Forwarding and its cache, when there are upstreams: those given, or the nameservers of
    /// /etc/resolv.conf. An upstream that is this server itself stops start-up (a forwarding loop).
    /// </summary>
    private static void AddUpstreams(this IServiceCollection services, ServerOptions options)
    {
        var upstreams = options.UpstreamsFromResolvConf ? ResolvConf.ReadNameservers(ResolvConf.DefaultPath) : options.Upstreams;
        if (upstreams.Count == 0)
        {
            return;
        }

        ForwardingLoop.Check(upstreams, options.Listen);
        if (options.Autopath)
        {
            // The kubelet appends the node's search domains to a pod's search list: autopath walks them too.
            var domains = ResolvConf.ReadSearchDomains(ResolvConf.DefaultPath)
                .Select(d => Protocol.DnsName.TryEncode(d.ToLowerInvariant()))
                .OfType<byte[]>()
                .Where(d => !Protocol.DnsName.IsAtOrBelow(d, Protocol.DnsName.Encode(options.ClusterDomain), out _));
            services.AddSingleton(new NodeSearchDomains([.. domains]));
        }

        services.AddSingleton(provider => new UpstreamMetrics(provider.GetRequiredService<Prometheus.CollectorRegistry>(), $"dns://{options.Listen[0]}"));
        services.AddSingleton(provider => new Forwarder(
            upstreams, options.UpstreamTimeout, options.MaxConcurrent, provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<Forwarder>>(),
            provider.GetRequiredService<UpstreamMetrics>()));
        if (options.CacheTtl > TimeSpan.Zero)
        {
            services.AddSingleton(provider =>
            {
                var cache = new ResponseCache(options.CacheSize, options.CacheTtl, options.ServeStale, provider.GetRequiredService<TimeProvider>(), options.Prefetch);
                provider.GetRequiredService<UpstreamMetrics>().CountEntries(cache.CountByKind);
                return cache;
            });
        }

        services.AddSingleton<LoopProbe>();
        services.AddHostedService(static provider => provider.GetRequiredService<LoopProbe>());
        services.AddSingleton(provider => new ExternalResolver(
            provider.GetRequiredService<Forwarder>(), provider.GetService<ResponseCache>(), options.MaxUdpSize,
            provider.GetRequiredService<ILogger<ExternalResolver>>(), provider.GetRequiredService<LoopProbe>(), provider.GetRequiredService<UpstreamMetrics>()));
    }
}
