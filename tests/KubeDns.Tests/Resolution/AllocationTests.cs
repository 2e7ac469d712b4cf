using KubeDns.Resolution;
using KubeDns.Tests.Support;

namespace KubeDns.Tests.Resolution;

/// <summary>
/// The query path allocates nothing for cluster answers: counted, not timed (allocated bytes on this thread
/// over many calls). The benchmarks give the per-path figures; this guards against regressions.
/// </summary>
public sealed class AllocationTests
{
    public static TheoryData<string, ushort, ushort?> Queries => new()
    {
        { "web.default.svc.cluster.local", 1, null },
        { "web.default.svc.cluster.local", 28, 1232 },
        { "web.default.svc.cluster.local.default.svc.cluster.local", 1, null },
        { "_http._tcp.web.default.svc.cluster.local", 33, 1232 },
        { "_postgres._tcp.db.data.svc.cluster.local", 33, 1232 },
        { "web.default.svc.cluster.local", 255, 1232 },
        { "20.0.96.10.in-addr.arpa", 12, null },
        { "11.1.244.10.in-addr.arpa", 12, null },
        { "10-244-1-11.web.default.svc.cluster.local", 1, null },
        { "db-1.db.data.svc.cluster.local", 16, null },
        { "db.data.svc.cluster.local", 1, null },
        { "web-alias.default.svc.cluster.local", 1, null },
        { "10-244-1-10.default.pod.cluster.local", 1, null },
        { "www.example.org", 1, null },
    };

    [Theory]
    [MemberData(nameof(Queries))]
    public void Handle_ClusterAnswer_AllocatesNothing(string name, ushort type, ushort? ednsSize)
    {
        var resolver = StandardCluster.Create().Resolver;
        var query = QueryBytes.Build(name, type, ednsSize: ednsSize);
        var response = new byte[65535];
        resolver.Handle(query, response, DnsTransport.Udp); // Warm up (first-call JIT and statics).

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            resolver.Handle(query, response, DnsTransport.Udp);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Handle_ForwardedNameFromTheCache_AllocatesNothing()
    {
        var cluster = StandardCluster.Create();
        var time = TimeProvider.System;
        using var forwarder = new KubeDns.Upstream.Forwarder(
            [new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 9)], TimeSpan.FromSeconds(1), 10, time,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<KubeDns.Upstream.Forwarder>.Instance);
        var cache = new KubeDns.Upstream.ResponseCache(100, TimeSpan.FromSeconds(30), TimeSpan.Zero, time);
        var external = new KubeDns.Upstream.ExternalResolver(forwarder, cache, 1232,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<KubeDns.Upstream.ExternalResolver>.Instance);
        var resolver = new ClusterResolver(cluster.Zone, cluster.Sync, cluster.Options, external);
        var query = QueryBytes.Build("www.example.org", 1);

        // An upstream's answer: the question, then www.example.org A 192.0.2.10 (owner compressed to the question).
        var answer = query.Concat(new byte[] { 0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 1, 44, 0, 4, 192, 0, 2, 10 }).ToArray();
        answer[2] |= 0x80;
        answer[7] = 1;
        var key = new byte[KubeDns.Upstream.CacheKey.PrefixLength + query.Length - 16];
        KubeDns.Upstream.CacheKey.Write(key, query.AsSpan(12, query.Length - 16), 1, 1, hasOpt: false, dnssecOk: false);
        cache.Store(key, answer);

        var response = new byte[65535];
        Assert.Equal(answer.Length, resolver.Handle(query, response, DnsTransport.Udp));

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            resolver.Handle(query, response, DnsTransport.Udp);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
