using System.Net.Sockets;
using KubeDns.Resolution;
using Prometheus;

namespace KubeDns.Monitoring;

/// <summary>
/// The per-query metrics, under CoreDNS's names and labels (its metrics plugin) so existing dashboards and
/// alerts keep working: requests by proto/family/type, responses by rcode, duration by type, request and
/// response sizes. Every labelled child is created here, once, with its initial value suppressed (a series
/// appears when first counted, as in CoreDNS); counting a query is then array indexing and prometheus-net's
/// lock-free increments: no allocation, no lock (see QueryMetricsBenchmarks).
/// </summary>
internal sealed class DnsMetrics
{
    /// <summary>CoreDNS's buckets: exponential from 0.25 ms, doubling, 16 buckets.</summary>
    private static readonly double[] DurationBuckets = Histogram.ExponentialBuckets(0.00025, 2, 16);

    /// <summary>CoreDNS's size buckets (bytes).</summary>
    private static readonly double[] SizeBuckets = [0, 100, 200, 300, 400, 511, 1023, 2047, 4095, 8291, 16000, 32000, 48000, 64000];

    private readonly Counter _requests;
    private readonly Counter _responses;
    private readonly Histogram _duration;
    private readonly Histogram _requestSize;
    private readonly Histogram _responseSize;
    private readonly Counter _panics;

    public DnsMetrics(CollectorRegistry registry)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        _requests = factory.CreateCounter("coredns_dns_requests_total", "Counter of DNS requests made per zone, protocol and family.",
            new CounterConfiguration { LabelNames = ["server", "zone", "view", "proto", "family", "type"], SuppressInitialValue = true });
        _responses = factory.CreateCounter("coredns_dns_responses_total", "Counter of response status codes.",
            new CounterConfiguration { LabelNames = ["server", "zone", "view", "rcode", "plugin"], SuppressInitialValue = true });
        _duration = factory.CreateHistogram("coredns_dns_request_duration_seconds", "Histogram of the time (in seconds) each request took per zone.",
            new HistogramConfiguration { LabelNames = ["server", "zone", "view", "type"], Buckets = DurationBuckets, SuppressInitialValue = true });
        _requestSize = factory.CreateHistogram("coredns_dns_request_size_bytes", "Size of the request in bytes.",
            new HistogramConfiguration { LabelNames = ["server", "zone", "view", "proto"], Buckets = SizeBuckets, SuppressInitialValue = true });
        _responseSize = factory.CreateHistogram("coredns_dns_response_size_bytes", "Size of the returned response in bytes.",
            new HistogramConfiguration { LabelNames = ["server", "zone", "view", "proto"], Buckets = SizeBuckets, SuppressInitialValue = true });
        _panics = factory.CreateCounter("coredns_panics_total", "A metrics that counts the number of panics (here: queries whose handler threw; they get no answer).");
    }

    /// <summary>A query whose handler threw (the listener keeps serving; see HandlerFailures).</summary>
    public void CountPanic() => _panics.Inc();

    /// <summary>The pre-bound series of one listener (server address, transport, address family).</summary>
    public ListenerSeries For(string server, DnsTransport transport, AddressFamily family)
    {
        const string zone = ".";
        const string view = "";
        var proto = transport == DnsTransport.Tcp ? "tcp" : "udp";
        var familyLabel = family == AddressFamily.InterNetworkV6 ? "2" : "1";
        return new ListenerSeries(
            [.. DnsLabels.Types.Select(type => _requests.WithLabels(server, zone, view, proto, familyLabel, type))],
            [.. DnsLabels.Rcodes.Select(rcode => _responses.WithLabels(server, zone, view, rcode, "kubernetes"))],
            [.. DnsLabels.Types.Select(type => _duration.WithLabels(server, zone, view, type))],
            _requestSize.WithLabels(server, zone, view, proto),
            _responseSize.WithLabels(server, zone, view, proto));
    }
}

/// <summary>One listener's series, indexed by <see cref="DnsLabels"/>; <see cref="Count"/> is the hot path.</summary>
internal sealed class ListenerSeries(Counter.Child[] requests, Counter.Child[] responses, Histogram.Child[] duration, Histogram.Child requestSize, Histogram.Child responseSize)
{
    public void Count(ReadOnlySpan<byte> query, ReadOnlySpan<byte> response, double seconds)
    {
        var type = DnsLabels.TypeIndex(query);
        requests[type].Inc();
        duration[type].Observe(seconds);
        requestSize.Observe(query.Length);
        if (!response.IsEmpty)
        {
            responses[DnsLabels.RcodeIndex(response)].Inc();
            responseSize.Observe(response.Length);
        }
    }
}
