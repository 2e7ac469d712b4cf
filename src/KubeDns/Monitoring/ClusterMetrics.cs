using KubeDns.Cluster;
using KubeDns.Cluster.Kubernetes;
using KubeDns.Memory;
using KubeDns.Zone;
using Prometheus;

namespace KubeDns.Monitoring;

/// <summary>
/// What is not counted per query: the zone, the sources and the informers, read into gauges just before
/// each scrape, and the Kubernetes programming latency under CoreDNS's name.
/// </summary>
internal sealed class ClusterMetrics
{
    /// <summary>CoreDNS's buckets for programming duration: exponential from 1 ms, doubling, 20 buckets.</summary>
    private static readonly double[] ProgrammingBuckets = Histogram.ExponentialBuckets(0.001, 2, 20);

    public ClusterMetrics(CollectorRegistry registry, ZoneStore zone, ServingState serving, ClusterSyncState sync, IEnumerable<ApiSource> apiSources,
        BurstMemoryRelease? memory = null, ProgrammingLatency? latency = null)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        var names = factory.CreateGauge("kubedns_zone_names", "Names in the served cluster zone snapshot.");
        var serial = factory.CreateGauge("kubedns_zone_serial", "SOA serial of the served snapshot (moves with every published change).");
        var age = factory.CreateGauge("kubedns_zone_snapshot_age_seconds", "Seconds since the served snapshot was published.");
        var ready = factory.CreateGauge("kubedns_ready", "1 when every source has synced and the server is not shutting down.");
        var synced = factory.CreateGauge("kubedns_source_synced", "1 once a source (manifests, kubernetes/KIND) has delivered its first complete view.", "source");
        var problem = factory.CreateGauge("kubedns_source_problem", "1 while a source reports a problem (API unreachable, permission missing); the last state is still served.", "source");
        var lists = factory.CreateCounter("kubedns_kubernetes_lists_total", "Full lists made per kind: the first, then one per relist (410 Expired, restart).", "source");
        var watches = factory.CreateCounter("kubedns_kubernetes_watches_total", "Watch streams started per kind: the first, then one per restart.", "source");
        var releases = factory.CreateCounter("kubedns_memory_releases_total", "Collections run after an allocation burst (a load, relist or rewrite) to give its memory back.");
        var sources = apiSources.ToArray();
        registry.AddBeforeCollectCallback(() =>
        {
            var snapshot = zone.Current;
            names.Set(snapshot.NameCount);
            serial.Set(snapshot.Serial);
            age.Set(zone.SnapshotAge.TotalSeconds);
            releases.IncTo(memory?.Releases ?? 0);
            ready.Set(serving.Ready ? 1 : 0);
            var pending = sync.Pending;
            var problems = sync.Problems;
            foreach (var source in sync.Sources)
            {
                synced.WithLabels(source).Set(pending.Contains(source) ? 0 : 1);
                problem.WithLabels(source).Set(problems.ContainsKey(source) ? 1 : 0);
            }

            foreach (var counters in sources.SelectMany(s => s.Counters))
            {
                lists.WithLabels(counters.Source).IncTo(counters.Lists);
                watches.WithLabels(counters.Source).IncTo(counters.Watches);
            }
        });

        if (latency is not null)
        {
            var programming = factory.CreateHistogram(
                "coredns_kubernetes_dns_programming_duration_seconds",
                "Time from a watch event's arrival to the zone snapshot with its change being served.",
                new HistogramConfiguration { Buckets = ProgrammingBuckets });
            latency.Recorded += elapsed => programming.Observe(elapsed.TotalSeconds);
        }
    }
}
