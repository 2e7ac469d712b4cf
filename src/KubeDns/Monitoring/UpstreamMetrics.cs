using System.Net;
using Prometheus;

namespace KubeDns.Monitoring;

/// <summary>
/// Cache and forwarding metrics under CoreDNS's names (its cache plugin, and its forward plugin before
/// 1.11 renamed them to proxy_*), so dashboards built for <c>cache 30</c> + <c>forward .</c> keep working.
/// Series are bound up front; counting a cache hit is an interlocked increment.
/// </summary>
internal sealed class UpstreamMetrics
{
    private static readonly double[] DurationBuckets = Histogram.ExponentialBuckets(0.00025, 2, 16);

    private readonly Counter.Child _hitsSuccess;
    private readonly Counter.Child _hitsDenial;
    private readonly Counter.Child _misses;
    private readonly Counter.Child _cacheRequests;
    private readonly Counter _requests;
    private readonly Counter _responses;
    private readonly Histogram _duration;
    private readonly Counter _broken;
    private readonly Counter _rejects;
    private readonly CollectorRegistry _registry;
    private readonly Gauge.Child _entriesSuccess;
    private readonly Gauge.Child _entriesDenial;

    public UpstreamMetrics(CollectorRegistry registry, string server)
    {
        _registry = registry;
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        const string zones = ".";
        const string view = "";
        var hits = factory.CreateCounter("coredns_cache_hits_total", "The count of cache hits.", "server", "type", "zones", "view");
        _hitsSuccess = hits.WithLabels(server, "success", zones, view);
        _hitsDenial = hits.WithLabels(server, "denial", zones, view);
        _misses = factory.CreateCounter("coredns_cache_misses_total", "The count of cache misses.", "server", "zones", "view").WithLabels(server, zones, view);
        _cacheRequests = factory.CreateCounter("coredns_cache_requests_total", "The count of cache requests.", "server", "zones", "view").WithLabels(server, zones, view);
        var entries = factory.CreateGauge("coredns_cache_entries", "The number of elements in the cache.", "server", "type", "zones", "view");
        _entriesSuccess = entries.WithLabels(server, "success", zones, view);
        _entriesDenial = entries.WithLabels(server, "denial", zones, view);
        _requests = factory.CreateCounter("coredns_forward_requests_total", "Counter of requests made per upstream.", "to");
        _responses = factory.CreateCounter("coredns_forward_responses_total", "Counter of responses received per upstream.", "to", "rcode");
        _duration = factory.CreateHistogram("coredns_forward_request_duration_seconds", "Histogram of the time each request took.",
            new HistogramConfiguration { LabelNames = ["to", "rcode"], Buckets = DurationBuckets });
        _broken = factory.CreateCounter("coredns_forward_healthcheck_broken_total", "Counter of the number of times every upstream was unhealthy.");
        _rejects = factory.CreateCounter("coredns_forward_max_concurrent_rejects_total", "Counter of the number of queries rejected because the queries in flight were at the maximum.");
    }

    /// <summary>Reads the cache's entry counts before each scrape.</summary>
    public void CountEntries(Func<(int Success, int Denial)> count) => _registry.AddBeforeCollectCallback(() =>
    {
        var (success, denial) = count();
        _entriesSuccess.Set(success);
        _entriesDenial.Set(denial);
    });

    public void CacheHit(bool denial)
    {
        _cacheRequests.Inc();
        (denial ? _hitsDenial : _hitsSuccess).Inc();
    }

    public void CacheMiss()
    {
        _cacheRequests.Inc();
        _misses.Inc();
    }

    public void Forwarded(IPEndPoint upstream) => _requests.WithLabels(upstream.ToString()).Inc();

    public void Answered(IPEndPoint upstream, string rcode, TimeSpan elapsed)
    {
        _responses.WithLabels(upstream.ToString(), rcode).Inc();
        _duration.WithLabels(upstream.ToString(), rcode).Observe(elapsed.TotalSeconds);
    }

    /// <summary>Every upstream failed one query.</summary>
    public void AllBroken() => _broken.Inc();

    public void Rejected() => _rejects.Inc();
}
