using KubeDns.Hosting;
using KubeDns.Tests.Support;
using static KubeDns.Tests.Support.TestCluster;

namespace KubeDns.Tests.Robustness;

/// <summary>
/// The standard cluster plus the shapes that stress the response writer: a headless service with 60
/// endpoints (answers that must be cut at 512 or the EDNS size), a dual-stack headless service, and two
/// ExternalNames that point at each other (a CNAME loop the resolver must stop following).
/// Built once: the resolver is a pure reader, so the robustness tests share it.
/// </summary>
internal static class HostileCluster
{
    private static readonly Lazy<TestCluster> Instance = new(() => Create());

    public static TestCluster Shared => Instance.Value;

    public static TestCluster Create(ServerOptions? options = null, bool synced = true)
    {
        var big = Enumerable.Range(1, 60).Select(i => Endpoint($"10.244.9.{i}")).ToArray();
        var dual = Enumerable.Range(1, 20).SelectMany(i => new[] { Endpoint($"10.244.8.{i}"), Endpoint($"fd00:244::8:{i:x}") }).ToArray();
        return StandardCluster.Create(options, synced).Apply(
            Headless("default", "big", Port("http", 80)),
            Slice("default", "big-1", "big", [EndpointPort("http", 8080)], big),
            Headless("default", "dual", Port("http", 80)),
            Slice("default", "dual-1", "dual", [EndpointPort("http", 8080)], dual),
            ExternalName("default", "loop-a", "loop-b.default.svc.cluster.local"),
            ExternalName("default", "loop-b", "loop-a.default.svc.cluster.local"));
    }
}
