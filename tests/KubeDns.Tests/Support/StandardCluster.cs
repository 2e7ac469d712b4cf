using KubeDns.Cluster.Model;
using KubeDns.Hosting;
using static KubeDns.Tests.Support.TestCluster;

namespace KubeDns.Tests.Support;

/// <summary>A small cluster with one of each service shape, shared by the resolver tests.</summary>
internal static class StandardCluster
{
    public static TestCluster Create(ServerOptions? options = null, bool synced = true) =>
        new TestCluster(options, synced).Apply(
            new NamespaceInfo("default"),
            new NamespaceInfo("prod"),
            Service("default", "web", ["10.96.0.20"], Port("http", 80), Port("https", 443)),
            Slice("default", "web-abc", "web", [EndpointPort("http", 8080), EndpointPort("https", 8443)],
                Endpoint("10.244.1.10", podName: "web-7f9c-abcde"), Endpoint("10.244.1.11"), Endpoint("10.244.1.12", ready: false)),
            Service("prod", "web", ["10.96.1.20"], Port("http", 80)),
            Service("default", "api", ["10.96.0.30", "fd00:96::30"], Port("grpc", 9090)),
            Service("default", "unnamed", ["10.96.0.40"], Port(null, 8000)),
            Headless("data", "db", Port("postgres", 5432)),
            Slice("data", "db-1", "db", [EndpointPort("postgres", 5432)],
                Endpoint("10.244.2.10", hostname: "db-0"), Endpoint("10.244.2.11", hostname: "db-1"), Endpoint("10.244.2.12", ready: false, hostname: "db-2")),
            Headless("data", "cold", Port("postgres", 5432)),
            Slice("data", "cold-1", "cold", [EndpointPort("postgres", 5432)], Endpoint("10.244.3.10", ready: false)),
            ExternalName("default", "search", "www.example.org"),
            ExternalName("default", "web-alias", "web.prod.svc.cluster.local"),
            ExternalName("default", "dangling", "nothing.prod.svc.cluster.local"),
            Pod("default", "web-7f9c-abcde", "10.244.1.10"));
}
