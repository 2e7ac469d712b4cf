using System.Collections.Immutable;
using System.Net;
using BenchmarkDotNet.Attributes;
using KubeDns.Benchmarks.Support;
using KubeDns.Cluster;
using KubeDns.Cluster.Model;
using KubeDns.Hosting;
using KubeDns.Protocol;
using KubeDns.Resolution;
using KubeDns.Upstream;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeDns.Benchmarks.Upstream;

/// <summary>
/// The answers forwarding and autopath add to the query path, against a plain cluster A answer in the same
/// run (the reference): a forwarded name answered from the cache (the common case: `cache 30` absorbs
/// most external lookups), and a pod's first search-path try answered by autopath with a CNAME and the
/// service's address. All must stay at 0 B.
/// </summary>
[MemoryDiagnoser]
public class ExternalAnswerBenchmarks : IDisposable
{
    private static readonly byte[] PodAddress = [10, 244, 200, 7];
    private readonly byte[] _response = new byte[DnsLimits.MaxMessageSize];
    private ClusterResolver _resolver = null!;
    private Forwarder _forwarder = null!;
    private byte[] _clusterA = null!;
    private byte[] _cachedExternal = null!;
    private byte[] _autopath = null!;

    [GlobalSetup]
    public void Setup()
    {
        var options = new ServerOptions { Autopath = true };
        var store = SyntheticCluster.CreateStore(options);
        store.Apply([.. SyntheticCluster.Changes(), ClusterChange.Upsert(new PodInfo(
            "default", "client", ImmutableArray.Create(new IPAddress(PodAddress)), ImmutableSortedDictionary<string, string>.Empty, true, true, false, null, null, null))]);
        var sync = new ClusterSyncState();
        sync.Register("benchmark");
        sync.MarkSynced("benchmark");
        _forwarder = new Forwarder([new IPEndPoint(IPAddress.Loopback, 9)], TimeSpan.FromSeconds(1), 10, TimeProvider.System, NullLogger<Forwarder>.Instance);
        var cache = new ResponseCache(1000, TimeSpan.FromSeconds(30), TimeSpan.Zero, TimeProvider.System);
        _resolver = new ClusterResolver(store, sync, options, new ExternalResolver(_forwarder, cache, 1232, NullLogger<ExternalResolver>.Instance));

        _clusterA = QueryMessage.Build("web.default.svc.cluster.local", QueryMessage.A);
        _cachedExternal = QueryMessage.Build("www.example.org", QueryMessage.A);
        _autopath = QueryMessage.Build("svc-0001.ns-01.default.svc.cluster.local", QueryMessage.A);

        // www.example.org A 192.0.2.10, as an upstream would have answered it (owner compressed to the question).
        var answer = _cachedExternal.Concat(new byte[] { 0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 1, 44, 0, 4, 192, 0, 2, 10 }).ToArray();
        answer[2] |= 0x80;
        answer[7] = 1;
        var name = _cachedExternal.AsSpan(DnsHeader.Size, _cachedExternal.Length - DnsHeader.Size - 4);
        var key = new byte[CacheKey.PrefixLength + name.Length];
        CacheKey.Write(key, name, 1, 1, hasOpt: false, dnssecOk: false);
        cache.Store(key, answer);

        Check(_cachedExternal, answer.Length);
        Check(_autopath, minimum: 60);
    }

    [Benchmark(Baseline = true, Description = "A, cluster service (reference)")]
    public int ClusterA() => _resolver.Handle(_clusterA, _response, DnsTransport.Udp, PodAddress);

    [Benchmark(Description = "A, forwarded name from the cache")]
    public int CachedExternal() => _resolver.Handle(_cachedExternal, _response, DnsTransport.Udp, PodAddress);

    [Benchmark(Description = "A, autopath first try (CNAME + A)")]
    public int Autopath() => _resolver.Handle(_autopath, _response, DnsTransport.Udp, PodAddress);

    public void Dispose()
    {
        _forwarder?.Dispose();
        GC.SuppressFinalize(this);
    }

    private void Check(byte[] query, int minimum)
    {
        var length = _resolver.Handle(query, _response, DnsTransport.Udp, PodAddress);
        if (length < minimum || (_response[3] & 0x0F) != 0 || _response[7] == 0)
        {
            throw new InvalidOperationException($"unexpected answer: {length} bytes, rcode {_response[3] & 0x0F}, {_response[7]} answers");
        }
    }
}
