using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using KubeDns.Benchmarks.Support;
using KubeDns.Monitoring;
using KubeDns.Protocol;
using KubeDns.Resolution;

namespace KubeDns.Benchmarks.Monitoring;

/// <summary>
/// What counting a query costs: the resolver answering an A query alone (the baseline) and wrapped in the
/// listener's <see cref="MeasuredQueryHandler"/> (CoreDNS's request, response, duration and size series).
/// The issue asks for no allocation and no lock: Allocated must stay 0 B.
/// </summary>
[MemoryDiagnoser]
public class QueryMetricsBenchmarks
{
    private readonly byte[] _response = new byte[DnsLimits.MaxMessageSize];
    private ClusterResolver _resolver = null!;
    private MeasuredQueryHandler _measured = null!;
    private byte[] _query = null!;

    [GlobalSetup]
    public void Setup()
    {
        _resolver = SyntheticCluster.CreateResolver();
        var series = new DnsMetrics(Prometheus.Metrics.NewCustomRegistry()).For("dns://0.0.0.0:53", DnsTransport.Udp, AddressFamily.InterNetwork);
        _measured = new MeasuredQueryHandler(_resolver, series);
        _query = QueryMessage.Build("web.default.svc.cluster.local", QueryMessage.A);
    }

    [Benchmark(Baseline = true, Description = "A, not counted")]
    public int Uncounted() => _resolver.Handle(_query, _response, DnsTransport.Udp);

    [Benchmark(Description = "A, counted (5 series)")]
    public int Counted() => _measured.Handle(_query, _response, DnsTransport.Udp);
}
