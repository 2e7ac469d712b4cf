using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using KubeDns.Benchmarks.Support;
using KubeDns.Protocol;
using KubeDns.Resolution;

namespace KubeDns.Benchmarks.Resolution;

/// <summary>
/// One <see cref="ClusterResolver.Handle"/> call per operation: parse the query, look the name up in a
/// 10,000-service zone, copy the pre-encoded answer and write the header, into a reused 64 KiB buffer.
/// This is the whole per-packet cost of the resolver (sockets aside); the target is 0 B/op everywhere.
/// <para>
/// Each query path is a category with a baseline: the same query answered the way a server built on
/// ARSoft.Tools.Net does it (<see cref="ArSoftResponder"/>), with the same records, so that BenchmarkDotNet
/// prints Ratio and Alloc Ratio of ours against it, measured in the same run.
/// </para>
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class QueryPathBenchmarks
{
    private const string ServiceACategory = "A, ClusterIP service";
    private const string SearchPathMissCategory = "NXDOMAIN, search-path try";
    private const string AaaaNoDataCategory = "AAAA NODATA";
    private const string NamedPortSrvCategory = "SRV _http._tcp + additional";
    private const string ReversePtrCategory = "PTR, service IP";
    private const string HeadlessEdnsCategory = "A, headless 60, EDNS 1232";
    private const string HeadlessTruncatedCategory = "A, headless 60, UDP 512 (TC)";
    private const string PodNameCategory = "A, pod a-b-c-d.ns.pod";

    private const string Ours = "KubeDns";
    private const string Reference = "ARSoft 3.6.1 (reference)";

    private readonly byte[] _response = new byte[DnsLimits.MaxMessageSize];
    private ClusterResolver _resolver = null!;
    private ArSoftResponder _arSoft = null!;

    private byte[] _serviceA = null!;
    private byte[] _searchPathMiss = null!;
    private byte[] _aaaaNoData = null!;
    private byte[] _namedPortSrv = null!;
    private byte[] _reversePtr = null!;
    private byte[] _headlessEdns = null!;
    private byte[] _headlessClassic = null!;
    private byte[] _pod = null!;

    // The records of our answer to each query, as ARSoft objects: what the reference answers with.
    private ArSoftAnswer _serviceAAnswer = null!;
    private ArSoftAnswer _searchPathMissAnswer = null!;
    private ArSoftAnswer _aaaaNoDataAnswer = null!;
    private ArSoftAnswer _namedPortSrvAnswer = null!;
    private ArSoftAnswer _reversePtrAnswer = null!;
    private ArSoftAnswer _headlessAnswer = null!;
    private ArSoftAnswer _podAnswer = null!;

    [GlobalSetup]
    public void Setup()
    {
        _resolver = SyntheticCluster.CreateResolver();
        _arSoft = ArSoftResponder.Create();
        _serviceA = QueryMessage.Build("web.default.svc.cluster.local", QueryMessage.A);

        // What a pod's resolver asks first for "web.default.svc.cluster.local" (ndots:5 and the search path).
        _searchPathMiss = QueryMessage.Build("web.default.svc.cluster.local.default.svc.cluster.local", QueryMessage.A);
        _aaaaNoData = QueryMessage.Build("web.default.svc.cluster.local", QueryMessage.Aaaa);
        _namedPortSrv = QueryMessage.Build("_http._tcp.web.default.svc.cluster.local", QueryMessage.Srv);
        _reversePtr = QueryMessage.Build("10.0.96.10.in-addr.arpa", QueryMessage.Ptr);
        _headlessEdns = QueryMessage.Build("big.default.svc.cluster.local", QueryMessage.A, ednsSize: 1232);
        _headlessClassic = QueryMessage.Build("big.default.svc.cluster.local", QueryMessage.A);
        _pod = QueryMessage.Build("10-244-0-1.default.pod.cluster.local", QueryMessage.A);

        _serviceAAnswer = Check(nameof(ServiceA), ServiceA, rcode: 0, minAnswers: 1);
        _searchPathMissAnswer = Check(nameof(SearchPathMiss), SearchPathMiss, rcode: 3, minAnswers: 0);
        _aaaaNoDataAnswer = Check(nameof(AaaaNoData), AaaaNoData, rcode: 0, minAnswers: 0);
        _namedPortSrvAnswer = Check(nameof(NamedPortSrv), NamedPortSrv, rcode: 0, minAnswers: 1);
        _reversePtrAnswer = Check(nameof(ReversePtr), ReversePtr, rcode: 0, minAnswers: 1);
        _headlessAnswer = Check(nameof(HeadlessEdns), HeadlessEdns, rcode: 0, minAnswers: SyntheticCluster.HeadlessEndpoints);
        Check(nameof(HeadlessTruncated), HeadlessTruncated, rcode: 0, minAnswers: 1, truncated: true);
        _podAnswer = Check(nameof(PodName), PodName, rcode: 0, minAnswers: 1);

        // The references answer with the records of the untruncated answer (that is what a zone holds);
        // the 512-byte one truncates them itself.
        ExpectReference(nameof(ArSoftServiceA), _serviceA, _serviceAAnswer, rcode: 0, minAnswers: 1);
        ExpectReference(nameof(ArSoftSearchPathMiss), _searchPathMiss, _searchPathMissAnswer, rcode: 3, minAnswers: 0);
        ExpectReference(nameof(ArSoftAaaaNoData), _aaaaNoData, _aaaaNoDataAnswer, rcode: 0, minAnswers: 0);
        ExpectReference(nameof(ArSoftNamedPortSrv), _namedPortSrv, _namedPortSrvAnswer, rcode: 0, minAnswers: 1);
        ExpectReference(nameof(ArSoftReversePtr), _reversePtr, _reversePtrAnswer, rcode: 0, minAnswers: 1);
        ExpectReference(nameof(ArSoftHeadlessEdns), _headlessEdns, _headlessAnswer, rcode: 0, minAnswers: SyntheticCluster.HeadlessEndpoints);
        ExpectReference(nameof(ArSoftHeadlessTruncated), _headlessClassic, _headlessAnswer, rcode: 0, minAnswers: 1, truncated: true);
        ExpectReference(nameof(ArSoftPodName), _pod, _podAnswer, rcode: 0, minAnswers: 1);
    }

    [Benchmark(Description = Ours)]
    [BenchmarkCategory(ServiceACategory)]
    public int ServiceA() => _resolver.Handle(_serviceA, _response, DnsTransport.Udp);

    [Benchmark(Baseline = true, Description = Reference)]
    [BenchmarkCategory(ServiceACategory)]
    public int ArSoftServiceA() => _arSoft.Respond(_serviceA, _serviceAAnswer).Count;

    [Benchmark(Description = Ours)]
    [BenchmarkCategory(SearchPathMissCategory)]
    public int SearchPathMiss() => _resolver.Handle(_searchPathMiss, _response, DnsTransport.Udp);

    [Benchmark(Baseline = true, Description = Reference)]
    [BenchmarkCategory(SearchPathMissCategory)]
    public int ArSoftSearchPathMiss() => _arSoft.Respond(_searchPathMiss, _searchPathMissAnswer).Count;

    [Benchmark(Description = Ours)]
    [BenchmarkCategory(AaaaNoDataCategory)]
    public int AaaaNoData() => _resolver.Handle(_aaaaNoData, _response, DnsTransport.Udp);

    [Benchmark(Baseline = true, Description = Reference)]
    [BenchmarkCategory(AaaaNoDataCategory)]
    public int ArSoftAaaaNoData() => _arSoft.Respond(_aaaaNoData, _aaaaNoDataAnswer).Count;

    [Benchmark(Description = Ours)]
    [BenchmarkCategory(NamedPortSrvCategory)]
    public int NamedPortSrv() => _resolver.Handle(_namedPortSrv, _response, DnsTransport.Udp);

    [Benchmark(Baseline = true, Description = Reference)]
    [BenchmarkCategory(NamedPortSrvCategory)]
    public int ArSoftNamedPortSrv() => _arSoft.Respond(_namedPortSrv, _namedPortSrvAnswer).Count;

    [Benchmark(Description = Ours)]
    [BenchmarkCategory(ReversePtrCategory)]
    public int ReversePtr() => _resolver.Handle(_reversePtr, _response, DnsTransport.Udp);

    [Benchmark(Baseline = true, Description = Reference)]
    [BenchmarkCategory(ReversePtrCategory)]
    public int ArSoftReversePtr() => _arSoft.Respond(_reversePtr, _reversePtrAnswer).Count;

    [Benchmark(Description = Ours)]
    [BenchmarkCategory(HeadlessEdnsCategory)]
    public int HeadlessEdns() => _resolver.Handle(_headlessEdns, _response, DnsTransport.Udp);

    [Benchmark(Baseline = true, Description = Reference)]
    [BenchmarkCategory(HeadlessEdnsCategory)]
    public int ArSoftHeadlessEdns() => _arSoft.Respond(_headlessEdns, _headlessAnswer).Count;

    /// <summary>The same 60 addresses without EDNS: cut at a record boundary below 512 bytes, TC set.</summary>
    [Benchmark(Description = Ours)]
    [BenchmarkCategory(HeadlessTruncatedCategory)]
    public int HeadlessTruncated() => _resolver.Handle(_headlessClassic, _response, DnsTransport.Udp);

    /// <summary>ARSoft's server encodes all 60, finds them too long, drops answers and encodes again.</summary>
    [Benchmark(Baseline = true, Description = Reference)]
    [BenchmarkCategory(HeadlessTruncatedCategory)]
    public int ArSoftHeadlessTruncated() => _arSoft.Respond(_headlessClassic, _headlessAnswer).Count;

    [Benchmark(Description = Ours)]
    [BenchmarkCategory(PodNameCategory)]
    public int PodName() => _resolver.Handle(_pod, _response, DnsTransport.Udp);

    [Benchmark(Baseline = true, Description = Reference)]
    [BenchmarkCategory(PodNameCategory)]
    public int ArSoftPodName() => _arSoft.Respond(_pod, _podAnswer).Count;

    /// <summary>Checks our response, and returns its records for the reference to answer with.</summary>
    private ArSoftAnswer Check(string benchmark, Func<int> handle, int rcode, int minAnswers, bool truncated = false)
    {
        var response = _response.AsSpan(0, handle());
        ResponseCheck.Expect(benchmark, response, rcode, minAnswers, truncated);
        return ArSoftResponder.AnswerLike(response);
    }

    private void ExpectReference(string benchmark, byte[] query, ArSoftAnswer answer, int rcode, int minAnswers, bool truncated = false) =>
        ResponseCheck.Expect(benchmark, _arSoft.Respond(query, answer), rcode, minAnswers, truncated);
}
