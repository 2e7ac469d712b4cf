using System.Collections.Immutable;
using System.Net;
using KubeDns.Cluster.Endpoints;
using KubeDns.Cluster.Model;

namespace KubeDns.Cluster.Tests.Endpoints;

public sealed class EndpointDerivationTests
{
    [Fact]
    public void Derive_PodMatchingAllSelectorLabels_BecomesAnEndpoint()
    {
        var service = Service(selector: new() { ["app"] = "web", ["tier"] = "front" });
        var pods = new[]
        {
            Pod("both", "10.244.0.1", labels: new() { ["app"] = "web", ["tier"] = "front", ["extra"] = "x" }),
            Pod("one-label", "10.244.0.2", labels: new() { ["app"] = "web" }),
            Pod("wrong-value", "10.244.0.3", labels: new() { ["app"] = "web", ["tier"] = "back" }),
        };

        var slice = Assert.Single(EndpointDerivation.Derive([service], pods, []));

        Assert.Equal(new ObjectKey("default", "web-derived"), slice.Key);
        Assert.Equal("web", slice.ServiceName);
        var endpoint = Assert.Single(slice.Endpoints);
        Assert.Equal("both", endpoint.PodName);
        Assert.Equal(IPAddress.Parse("10.244.0.1"), Assert.Single(endpoint.Addresses));
        Assert.Equal("node-1", endpoint.NodeName);
        Assert.True(endpoint.Ready);
    }

    [Fact]
    public void Derive_PodInAnotherNamespace_IsExcluded()
    {
        var slice = Assert.Single(EndpointDerivation.Derive([Service()], [Pod("p", "10.244.0.1", ns: "other")], []));

        Assert.Empty(slice.Endpoints);
    }

    [Fact]
    public void Derive_PodNotRunning_IsExcluded()
    {
        var slice = Assert.Single(EndpointDerivation.Derive([Service()], [Pod("p", "10.244.0.1", running: false)], []));

        Assert.Empty(slice.Endpoints);
    }

    [Fact]
    public void Derive_TerminatingPod_IsExcluded()
    {
        var slice = Assert.Single(EndpointDerivation.Derive([Service()], [Pod("p", "10.244.0.1", terminating: true)], []));

        Assert.Empty(slice.Endpoints);
    }

    [Fact]
    public void Derive_PodWithoutIP_IsExcluded()
    {
        var slice = Assert.Single(EndpointDerivation.Derive([Service()], [Pod("p", ip: null)], []));

        Assert.Empty(slice.Endpoints);
    }

    [Fact]
    public void Derive_NotReadyPod_IsANotReadyEndpoint()
    {
        var slice = Assert.Single(EndpointDerivation.Derive([Service()], [Pod("p", "10.244.0.1", ready: false)], []));

        var endpoint = Assert.Single(slice.Endpoints);
        Assert.False(endpoint.Ready);
        Assert.False(endpoint.Serving);
    }

    [Fact]
    public void Derive_PublishNotReadyAddresses_MakesEveryPodReady()
    {
        var service = Service() with { PublishNotReadyAddresses = true };

        var slice = Assert.Single(EndpointDerivation.Derive([service], [Pod("p", "10.244.0.1", ready: false)], []));

        var endpoint = Assert.Single(slice.Endpoints);
        Assert.True(endpoint.Ready);
        Assert.False(endpoint.Serving);
    }

    [Fact]
    public void Derive_HostnameOnlyWhenSubdomainIsTheServiceName()
    {
        var pods = new[]
        {
            Pod("db-0", "10.244.0.1", hostname: "db-0", subdomain: "web"),
            Pod("db-1", "10.244.0.2", hostname: "db-1", subdomain: "other"),
            Pod("db-2", "10.244.0.3", hostname: "db-2"),
        };

        var slice = Assert.Single(EndpointDerivation.Derive([Service()], pods, []));

        Assert.Equal(["db-0", null, null], slice.Endpoints.Select(e => e.Hostname));
    }

    [Fact]
    public void Derive_ExplicitSliceForTheService_SuppressesDerivation()
    {
        var explicitSlice = new EndpointSliceInfo("default", "web-abc12", "web", ImmutableArray<EndpointPortInfo>.Empty, ImmutableArray<EndpointInfo>.Empty);
        var otherNamespaceSlice = explicitSlice with { Namespace = "other" };

        Assert.Empty(EndpointDerivation.Derive([Service()], [Pod("p", "10.244.0.1")], [explicitSlice]));
        Assert.Single(EndpointDerivation.Derive([Service()], [Pod("p", "10.244.0.1")], [otherNamespaceSlice]));
    }

    [Fact]
    public void Derive_ServiceWithoutSelector_GetsNoEndpoints()
    {
        Assert.Empty(EndpointDerivation.Derive([Service(withSelector: false)], [Pod("p", "10.244.0.1")], []));
    }

    [Fact]
    public void Derive_ExternalNameService_GetsNoEndpoints()
    {
        var service = Service() with { Kind = ServiceKind.ExternalName, ClusterIPs = ImmutableArray<IPAddress>.Empty, ExternalName = "example.org" };

        Assert.Empty(EndpointDerivation.Derive([service], [Pod("p", "10.244.0.1")], []));
    }

    [Fact]
    public void Derive_Ports_AreTheServicePorts()
    {
        var slice = Assert.Single(EndpointDerivation.Derive([Service()], [], []));

        Assert.Equal([new EndpointPortInfo("http", "TCP", 80), new EndpointPortInfo("dns", "UDP", 53)], slice.Ports);
    }

    [Fact]
    public void Derive_DualStackPod_KeepsOnlyTheServiceFamilies()
    {
        var pod = Pod("p", "10.244.0.1") with { IPs = ImmutableArray.Create(IPAddress.Parse("10.244.0.1"), IPAddress.Parse("fd00::1")) };
        var headless = Service() with { Name = "headless", ClusterIPs = ImmutableArray<IPAddress>.Empty };

        var slices = EndpointDerivation.Derive([Service(), headless], [pod], []);

        Assert.Equal([IPAddress.Parse("10.244.0.1")], slices[0].Endpoints[0].Addresses);
        Assert.Equal(2, slices[1].Endpoints[0].Addresses.Count);
    }

    [Fact]
    public void Derive_EndpointsAreOrderedByPodName()
    {
        var pods = new[] { Pod("b", "10.244.0.2"), Pod("a", "10.244.0.1"), Pod("c", "10.244.0.3") };

        var slice = Assert.Single(EndpointDerivation.Derive([Service()], pods, []));

        Assert.Equal(["a", "b", "c"], slice.Endpoints.Select(e => e.PodName));
    }

    [Fact]
    public void Derive_NumericTargetPort_IsTheEndpointPort()
    {
        var service = Service() with { Ports = ImmutableArray.Create(new ServicePortInfo("http", "TCP", 80, 0, 8080)) };

        var slice = Assert.Single(EndpointDerivation.Derive([service], [Pod("p", "10.244.0.1")], []));

        Assert.Equal(8080, Assert.Single(slice.Ports).Port);
    }

    [Fact]
    public void Derive_NamedTargetPort_ResolvesPerPodAndGroupsPodsByPorts()
    {
        var service = Service() with { Ports = ImmutableArray.Create(new ServicePortInfo("http", "TCP", 80, 0, 0, "web")) };
        var pods = new[]
        {
            Pod("a", "10.244.0.1") with { ContainerPorts = ImmutableArray.Create(new ContainerPortInfo("web", "TCP", 8080)) },
            Pod("b", "10.244.0.2") with { ContainerPorts = ImmutableArray.Create(new ContainerPortInfo("web", "TCP", 9090)) },
            Pod("c", "10.244.0.3") with { ContainerPorts = ImmutableArray.Create(new ContainerPortInfo("web", "UDP", 8080)) },
        };

        var slices = EndpointDerivation.Derive([service], pods, []);

        Assert.Equal(["web-derived", "web-derived-2", "web-derived-3"], slices.Select(s => s.Name));
        Assert.Equal(8080, Assert.Single(slices[0].Ports).Port);
        Assert.Equal(9090, Assert.Single(slices[1].Ports).Port);
        Assert.Empty(slices[2].Ports); // The pod has no TCP port named "web": no endpoint port for it.
    }

    private static ServiceInfo Service(Dictionary<string, string>? selector = null, bool withSelector = true) => new(
        "default",
        "web",
        ServiceKind.ClusterIP,
        ImmutableArray.Create(IPAddress.Parse("10.96.0.20")),
        null,
        ImmutableArray.Create(new ServicePortInfo("http", "TCP", 80, 0), new ServicePortInfo("dns", "UDP", 53, 0)),
        !withSelector ? null : (selector ?? new() { ["app"] = "web" }).ToImmutableSortedDictionary(StringComparer.Ordinal),
        false);

    private static PodInfo Pod(
        string name,
        string? ip,
        string ns = "default",
        Dictionary<string, string>? labels = null,
        bool running = true,
        bool ready = true,
        bool terminating = false,
        string? hostname = null,
        string? subdomain = null) => new(
        ns,
        name,
        ip is null ? ImmutableArray<IPAddress>.Empty : ImmutableArray.Create(IPAddress.Parse(ip)),
        (labels ?? new() { ["app"] = "web" }).ToImmutableSortedDictionary(StringComparer.Ordinal),
        running,
        ready,
        terminating,
        hostname,
        subdomain,
        "node-1");
}
