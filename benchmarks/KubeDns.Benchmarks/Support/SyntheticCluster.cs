using KubeDns.Cluster;
using KubeDns.Cluster.Model;
using KubeDns.Hosting;
using KubeDns.Resolution;
using KubeDns.Zone;
using static KubeDns.Benchmarks.Support.ClusterObjects;

namespace KubeDns.Benchmarks.Support;

/// <summary>
/// A realistic cluster to look names up in: 10,000 services over 100 namespaces, each with one slice of 3
/// ready endpoints, so the name index holds ~70,000 names (service, endpoint, SRV, PTR names) and lookups
/// pay for a big map, not a toy one. Two services are the ones the query benchmarks name:
/// <c>default/web</c> (ClusterIP 10.96.0.10, named port http) and <c>default/big</c> (headless, 60 endpoints).
/// </summary>
internal static class SyntheticCluster
{
    public const int ServiceCount = 10_000;
    public const int NamespaceCount = 100;
    public const int EndpointsPerSlice = 3;
    public const int HeadlessEndpoints = 60;

    /// <summary>Every object of the cluster as upserts: namespaces, then services, then slices.</summary>
    public static List<ClusterChange> Changes()
    {
        var changes = new List<ClusterChange>();
        for (var n = 0; n < NamespaceCount; n++)
        {
            changes.Add(ClusterChange.Upsert(new NamespaceInfo(NamespaceName(n))));
        }

        changes.Add(ClusterChange.Upsert(Service("default", "web", Address(10, 96, 10), Port("http", 80))));
        changes.Add(ClusterChange.Upsert(WebSlice(alternate: false)));
        changes.Add(ClusterChange.Upsert(Headless("default", "big", Port("http", 80))));
        var bigEndpoints = Enumerable.Range(1, HeadlessEndpoints).Select(i => Endpoint(Address(10, 250, i)));
        changes.Add(ClusterChange.Upsert(Slice("default", "big-1", "big", EndpointPort("http", 8080), bigEndpoints)));

        // The fillers: 10.96.1.0 onwards for ClusterIPs, 10.244.1.0 onwards for endpoints.
        for (var i = 0; i < ServiceCount - 2; i++)
        {
            var ns = NamespaceName(i % NamespaceCount);
            var name = $"svc-{i:D4}";
            changes.Add(ClusterChange.Upsert(Service(ns, name, Address(10, 96, 256 + i), Port("http", 80))));
            var endpoints = Enumerable.Range(0, EndpointsPerSlice).Select(k => Endpoint(Address(10, 244, 256 + (i * EndpointsPerSlice) + k)));
            changes.Add(ClusterChange.Upsert(Slice(ns, name + "-1", name, EndpointPort("http", 8080), endpoints)));
        }

        return changes;
    }

    /// <summary>
    /// The slice of <c>default/web</c>: endpoints 10.244.0.1-3, or (alternate) 10.244.0.1, .2 and .4, so that
    /// switching between the two is a real change that re-encodes names.
    /// </summary>
    public static EndpointSliceInfo WebSlice(bool alternate)
    {
        int[] hosts = alternate ? [1, 2, 4] : [1, 2, 3];
        return Slice("default", "web-1", "web", EndpointPort("http", 8080), hosts.Select(h => Endpoint(Address(10, 244, h))));
    }

    public static ZoneStore CreateStore(ServerOptions options) => new(new ZoneSettings(options), TimeProvider.System);

    /// <summary>A resolver over a fully synced zone holding the whole cluster.</summary>
    public static ClusterResolver CreateResolver()
    {
        var options = new ServerOptions();
        var store = CreateStore(options);
        store.Apply(Changes());
        var sync = new ClusterSyncState();
        sync.Register("benchmark");
        sync.MarkSynced("benchmark");
        return new ClusterResolver(store, sync, options);
    }

    private static string NamespaceName(int index) => index == 0 ? "default" : $"ns-{index:D2}";
}
