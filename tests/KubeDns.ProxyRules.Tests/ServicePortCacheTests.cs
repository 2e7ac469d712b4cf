using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using KubeDns.Cluster.Model;
using KubeDns.ProxyRules.Model;
using KubeDns.ProxyRules.Sync;

namespace KubeDns.ProxyRules.Tests;

/// <summary>A partial sync categorises only the changed services' endpoints; a full one all of them.</summary>
public sealed class ServicePortCacheTests
{
    private static readonly RuleSettings Settings = new(AddressFamily.InterNetwork, "10.0.0.0/8");

    [Fact]
    public void APartialSync_KeepsTheUnchangedServicesPorts_AndRecomputesTheChangedOnes()
    {
        var cache = new ServicePortCache(Settings);
        var before = cache.For(new ClusterSnapshot([Service(1), Service(2)], [Slice(1, "10.180.0.1"), Slice(2, "10.180.0.2")], new HashSet<ObjectKey>()), full: true);

        var after = cache.For(new ClusterSnapshot([Service(1), Service(2)], [Slice(1, "10.180.0.1"), Slice(2, "10.180.0.22")], new HashSet<ObjectKey> { new("ns", "svc2") }), full: false);

        Assert.Same(before[0], after[0]);
        Assert.Equal("10.180.0.22:80", Assert.Single(after[1].ClusterEndpoints).Text);
    }

    [Fact]
    public void AFullSync_RecomputesEveryService_AndDeletedServicesAreForgotten()
    {
        var cache = new ServicePortCache(Settings);
        var before = cache.For(new ClusterSnapshot([Service(1), Service(2)], [Slice(1, "10.180.0.1")], new HashSet<ObjectKey>()), full: true);

        var full = cache.For(new ClusterSnapshot([Service(1)], [Slice(1, "10.180.0.1")], new HashSet<ObjectKey>()), full: true);
        var partial = cache.For(new ClusterSnapshot([Service(1), Service(2)], [Slice(1, "10.180.0.1")], new HashSet<ObjectKey> { new("ns", "svc2") }), full: false);

        Assert.NotSame(before[0], Assert.Single(full));
        Assert.Same(full[0], partial[0]);
        Assert.Equal(2, partial.Count);
    }

    private static ServiceInfo Service(int i) => new(
        "ns", $"svc{i}", ServiceKind.ClusterIP, ImmutableArray.Create(IPAddress.Parse($"10.96.0.{i}")), null,
        ImmutableArray.Create(new ServicePortInfo("p", "TCP", 80, 0, 80)), null, false);

    private static EndpointSliceInfo Slice(int i, string address) => new(
        "ns", $"svc{i}-a", $"svc{i}", ImmutableArray.Create(new EndpointPortInfo("p", "TCP", 80)),
        ImmutableArray.Create(new EndpointInfo(ImmutableArray.Create(IPAddress.Parse(address)), true, true, false, null, null, null)));
}
