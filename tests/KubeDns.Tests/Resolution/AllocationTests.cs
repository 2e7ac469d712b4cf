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
        { "20.0.96.10.in-addr.arpa", 12, null },
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
}
