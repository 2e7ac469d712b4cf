using System.Collections.Immutable;
using System.Net;
using KubeDns.Cluster.Model;

namespace KubeDns.RuleScaleBenchmark;

/// <summary>
/// The benchmark's cluster: <c>services</c> ClusterIP services over 100 namespaces, one TCP port each, every
/// tenth a NodePort; <c>endpointsPerService</c> ready endpoints each, in one slice per service.
/// </summary>
internal static class SyntheticCluster
{
    public static (List<ServiceInfo> Services, List<EndpointSliceInfo> Slices) Create(int services, int endpointsPerService)
    {
        var list = new List<ServiceInfo>(services);
        var slices = new List<EndpointSliceInfo>(services);
        for (var i = 0; i < services; i++)
        {
            list.Add(Service(i));
            slices.Add(Slice(i, endpointsPerService, generation: 0));
        }

        return (list, slices);
    }

    /// <summary>Service <paramref name="i"/>'s slice; another <paramref name="generation"/> moves its first endpoint.</summary>
    public static EndpointSliceInfo Slice(int i, int endpoints, int generation) => new(
        $"ns{i % 100}",
        $"svc{i}-abcde",
        $"svc{i}",
        ImmutableArray.Create(new EndpointPortInfo("http", "TCP", 8080)),
        Enumerable.Range(0, endpoints).Select(e => new EndpointInfo(
            ImmutableArray.Create(PodIP((i * endpoints) + e + (e == 0 ? generation * 7_919 : 0))), true, true, false, null, $"node{e % 50}", null)).ToImmutableArray());

    public static ServiceInfo Service(int i) => new(
        $"ns{i % 100}",
        $"svc{i}",
        i % 10 == 0 ? ServiceKind.NodePort : ServiceKind.ClusterIP,
        ImmutableArray.Create(new IPAddress([10, 96, (byte)(i / 250), (byte)((i % 250) + 1)])),
        null,
        ImmutableArray.Create(new ServicePortInfo("http", "TCP", 80, i % 10 == 0 ? 30000 + (i / 10) : 0, 8080)),
        null,
        false);

    private static IPAddress PodIP(int n) => new([10, (byte)(128 + (n >> 16)), (byte)(n >> 8), (byte)n]);
}
