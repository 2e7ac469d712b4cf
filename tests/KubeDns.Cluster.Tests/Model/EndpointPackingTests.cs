using System.Collections.Immutable;
using System.Net;
using KubeDns.Cluster.Model;

namespace KubeDns.Cluster.Tests.Model;

/// <summary>A slice's endpoints held packed read back exactly as given, and slices still compare by content.</summary>
public sealed class EndpointPackingTests
{
    private static readonly EndpointInfo[] Endpoints =
    [
        new(ImmutableArray.Create(IPAddress.Parse("10.244.1.7")), true, true, false, null, null, null),
        new(ImmutableArray.Create(IPAddress.Parse("fd00:10:244::1"), IPAddress.Parse("10.244.1.8")), false, true, true, "web-0", "node-ü", "web-0"),
        new(ImmutableArray<IPAddress>.Empty, false, false, false, string.Empty, "n", null),
    ];

    [Fact]
    public void Endpoints_ReadBackAsGiven()
    {
        var slice = Slice(Endpoints);

        Assert.Equal(Endpoints, slice.Endpoints.Items);
        Assert.Empty(Slice([]).Endpoints);
    }

    [Fact]
    public void Slices_CompareByContent_AndWithReplacesTheEndpoints()
    {
        var slice = Slice(Endpoints);
        var same = Slice([.. Endpoints]);
        var fewer = slice with { Endpoints = ImmutableArray.Create(Endpoints[0]) };

        Assert.Equal(slice, same);
        Assert.Equal(slice.GetHashCode(), same.GetHashCode());
        Assert.NotEqual(slice, fewer);
        Assert.Equal(new[] { Endpoints[0] }, fewer.Endpoints.Items);
        Assert.NotEqual(slice, Slice([Endpoints[0] with { Terminating = true }, Endpoints[1], Endpoints[2]]));
    }

    [Fact]
    public void WithoutPodNames_DropsOnlyThePodNames()
    {
        var stripped = Slice(Endpoints).WithoutPodNames();

        Assert.All(stripped.Endpoints, e => Assert.Null(e.PodName));
        Assert.Equal(Endpoints.Select(e => e with { PodName = null }), stripped.Endpoints.Items);
    }

    private static EndpointSliceInfo Slice(EndpointInfo[] endpoints) =>
        new("prod", "web-abc", "web", ImmutableArray.Create(new EndpointPortInfo("http", "TCP", 80)), endpoints.ToImmutableArray());
}
