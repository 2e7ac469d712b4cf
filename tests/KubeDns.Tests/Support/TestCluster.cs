using System.Collections.Immutable;
using System.Net;
using KubeDns.Cluster;
using KubeDns.Cluster.Model;
using KubeDns.Hosting;
using KubeDns.Resolution;
using KubeDns.Zone;

namespace KubeDns.Tests.Support;

/// <summary>Builders for stripped cluster objects, and a zone + resolver wired as the server wires them.</summary>
internal sealed class TestCluster
{
    public TestCluster(ServerOptions? options = null, bool synced = true)
    {
        Options = options ?? new ServerOptions();
        Sync = new ClusterSyncState();
        Sync.Register("test");
        if (synced)
        {
            Sync.MarkSynced("test");
        }

        Zone = new ZoneStore(new ZoneSettings(Options), TimeProvider.System);
        Resolver = new ClusterResolver(Zone, Sync, Options);
    }

    public ServerOptions Options { get; }

    public ClusterSyncState Sync { get; }

    public ZoneStore Zone { get; }

    public ClusterResolver Resolver { get; }

    public TestCluster Apply(params object[] objects)
    {
        Zone.Apply([.. objects.Select(ToChange)]);
        return this;
    }

    public TestCluster Delete(ObjectKind kind, string ns, string name)
    {
        Zone.Apply([ClusterChange.Delete(kind, new ObjectKey(ns, name))]);
        return this;
    }

    public static ServiceInfo Service(string ns, string name, string[] clusterIPs, params ServicePortInfo[] ports) =>
        new(ns, name, ServiceKind.ClusterIP, clusterIPs.Select(IPAddress.Parse).ToImmutableArray(), null, ports.ToImmutableArray(),
            ImmutableSortedDictionary<string, string>.Empty.Add("app", name), false);

    public static ServiceInfo Headless(string ns, string name, params ServicePortInfo[] ports) =>
        Service(ns, name, [], ports);

    public static ServiceInfo ExternalName(string ns, string name, string target) =>
        new(ns, name, ServiceKind.ExternalName, ImmutableArray<IPAddress>.Empty, target, ImmutableArray<ServicePortInfo>.Empty, null, false);

    public static ServicePortInfo Port(string? name, int port, string protocol = "TCP") => new(name, protocol, port, 0);

    public static EndpointSliceInfo Slice(string ns, string name, string service, EndpointPortInfo[] ports, params EndpointInfo[] endpoints) =>
        new(ns, name, service, ports.ToImmutableArray(), endpoints.ToImmutableArray());

    public static EndpointPortInfo EndpointPort(string? name, int port, string protocol = "TCP") => new(name, protocol, port);

    public static EndpointInfo Endpoint(string ip, bool ready = true, string? hostname = null, string? podName = null) =>
        new(ImmutableArray.Create(IPAddress.Parse(ip)), ready, ready, false, hostname, null, podName);

    public static PodInfo Pod(string ns, string name, string ip) =>
        new(ns, name, ImmutableArray.Create(IPAddress.Parse(ip)), ImmutableSortedDictionary<string, string>.Empty, true, true, false, null, null, null);

    private static ClusterChange ToChange(object value) => value switch
    {
        NamespaceInfo ns => ClusterChange.Upsert(ns),
        ServiceInfo service => ClusterChange.Upsert(service),
        EndpointSliceInfo slice => ClusterChange.Upsert(slice),
        PodInfo pod => ClusterChange.Upsert(pod),
        _ => throw new ArgumentException($"not a cluster object: {value}", nameof(value)),
    };
}
