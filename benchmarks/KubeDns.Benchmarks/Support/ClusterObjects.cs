using System.Collections.Immutable;
using System.Net;
using KubeDns.Cluster.Model;

namespace KubeDns.Benchmarks.Support;

/// <summary>
/// Builders for stripped cluster objects, as a source would emit them. A copy of the test project's
/// TestCluster builders: benchmarks cannot reference the test project.
/// </summary>
internal static class ClusterObjects
{
    public static ServiceInfo Service(string ns, string name, IPAddress clusterIP, params ServicePortInfo[] ports) =>
        new(ns, name, ServiceKind.ClusterIP, ImmutableArray.Create(clusterIP), null, ports.ToImmutableArray(),
            ImmutableSortedDictionary<string, string>.Empty.Add("app", name), false);

    public static ServiceInfo Headless(string ns, string name, params ServicePortInfo[] ports) =>
        new(ns, name, ServiceKind.ClusterIP, ImmutableArray<IPAddress>.Empty, null, ports.ToImmutableArray(),
            ImmutableSortedDictionary<string, string>.Empty.Add("app", name), false);

    public static ServicePortInfo Port(string? name, int port) => new(name, "TCP", port, 0);

    public static EndpointSliceInfo Slice(string ns, string name, string service, EndpointPortInfo port, IEnumerable<EndpointInfo> endpoints) =>
        new(ns, name, service, ImmutableArray.Create(port), endpoints.ToImmutableArray());

    public static EndpointPortInfo EndpointPort(string? name, int port) => new(name, "TCP", port);

    public static EndpointInfo Endpoint(IPAddress ip, bool ready = true) =>
        new(ImmutableArray.Create(ip), ready, ready, false, null, null, null);

    /// <summary>The <paramref name="index"/>-th address of a /16, e.g. 10.96.0.0 + 300 = 10.96.1.44.</summary>
    public static IPAddress Address(byte first, byte second, int index) =>
        new([first, second, (byte)(index >> 8), (byte)index]);
}
