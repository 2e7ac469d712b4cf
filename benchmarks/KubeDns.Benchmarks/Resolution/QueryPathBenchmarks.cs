using BenchmarkDotNet.Attributes;
using KubeDns.Benchmarks.Support;
using KubeDns.Protocol;
using KubeDns.Resolution;

namespace KubeDns.Benchmarks.Resolution;

/// <summary>
/// One <see cref="ClusterResolver.Handle"/> call per operation: parse the query, look the name up in a
/// 10,000-service zone, copy the pre-encoded answer and write the header, into a reused 64 KiB buffer.
/// This is the whole per-packet cost of the resolver (sockets aside); the target is 0 B/op everywhere.
/// </summary>
[MemoryDiagnoser]
public class QueryPathBenchmarks
{
    private readonly byte[] _response = new byte[DnsLimits.MaxMessageSize];
    private ClusterResolver _resolver = null!;

    private byte[] _serviceA = null!;
    private byte[] _searchPathMiss = null!;
    private byte[] _aaaaNoData = null!;
    private byte[] _namedPortSrv = null!;
    private byte[] _reversePtr = null!;
    private byte[] _headlessEdns = null!;
    private byte[] _headlessClassic = null!;
    private byte[] _pod = null!;

    [GlobalSetup]
    public void Setup()
    {
        _resolver = SyntheticCluster.CreateResolver();
        _serviceA = QueryMessage.Build("web.default.svc.cluster.local", QueryMessage.A);

        // What a pod's resolver asks first for "web.default.svc.cluster.local" (ndots:5 and the search path).
        _searchPathMiss = QueryMessage.Build("web.default.svc.cluster.local.default.svc.cluster.local", QueryMessage.A);
        _aaaaNoData = QueryMessage.Build("web.default.svc.cluster.local", QueryMessage.Aaaa);
        _namedPortSrv = QueryMessage.Build("_http._tcp.web.default.svc.cluster.local", QueryMessage.Srv);
        _reversePtr = QueryMessage.Build("10.0.96.10.in-addr.arpa", QueryMessage.Ptr);
        _headlessEdns = QueryMessage.Build("big.default.svc.cluster.local", QueryMessage.A, ednsSize: 1232);
        _headlessClassic = QueryMessage.Build("big.default.svc.cluster.local", QueryMessage.A);
        _pod = QueryMessage.Build("10-244-0-1.default.pod.cluster.local", QueryMessage.A);

        ResponseCheck.Expect(nameof(ServiceA), _response.AsSpan(0, ServiceA()), rcode: 0, minAnswers: 1);
        ResponseCheck.Expect(nameof(SearchPathMiss), _response.AsSpan(0, SearchPathMiss()), rcode: 3, minAnswers: 0);
        ResponseCheck.Expect(nameof(AaaaNoData), _response.AsSpan(0, AaaaNoData()), rcode: 0, minAnswers: 0);
        ResponseCheck.Expect(nameof(NamedPortSrv), _response.AsSpan(0, NamedPortSrv()), rcode: 0, minAnswers: 1);
        ResponseCheck.Expect(nameof(ReversePtr), _response.AsSpan(0, ReversePtr()), rcode: 0, minAnswers: 1);
        ResponseCheck.Expect(nameof(HeadlessEdns), _response.AsSpan(0, HeadlessEdns()), rcode: 0, minAnswers: SyntheticCluster.HeadlessEndpoints);
        ResponseCheck.Expect(nameof(HeadlessTruncated), _response.AsSpan(0, HeadlessTruncated()), rcode: 0, minAnswers: 1, truncated: true);
        ResponseCheck.Expect(nameof(PodName), _response.AsSpan(0, PodName()), rcode: 0, minAnswers: 1);
    }

    [Benchmark(Description = "A, ClusterIP service")]
    public int ServiceA() => _resolver.Handle(_serviceA, _response, DnsTransport.Udp);

    [Benchmark(Description = "NXDOMAIN, search-path try")]
    public int SearchPathMiss() => _resolver.Handle(_searchPathMiss, _response, DnsTransport.Udp);

    [Benchmark(Description = "AAAA NODATA")]
    public int AaaaNoData() => _resolver.Handle(_aaaaNoData, _response, DnsTransport.Udp);

    [Benchmark(Description = "SRV _http._tcp + additional")]
    public int NamedPortSrv() => _resolver.Handle(_namedPortSrv, _response, DnsTransport.Udp);

    [Benchmark(Description = "PTR, service IP")]
    public int ReversePtr() => _resolver.Handle(_reversePtr, _response, DnsTransport.Udp);

    [Benchmark(Description = "A, headless 60, EDNS 1232")]
    public int HeadlessEdns() => _resolver.Handle(_headlessEdns, _response, DnsTransport.Udp);

    /// <summary>The same 60 addresses without EDNS: cut at a record boundary below 512 bytes, TC set.</summary>
    [Benchmark(Description = "A, headless 60, UDP 512 (TC)")]
    public int HeadlessTruncated() => _resolver.Handle(_headlessClassic, _response, DnsTransport.Udp);

    [Benchmark(Description = "A, pod a-b-c-d.ns.pod")]
    public int PodName() => _resolver.Handle(_pod, _response, DnsTransport.Udp);
}
