using System.Net;
using KubeDns.Cluster.Model;
using KubeDns.Cluster.Tests.TestSupport;
using Microsoft.Extensions.Logging;

namespace KubeDns.Cluster.Tests.Manifests;

/// <summary>manifests/demo loads cleanly and holds the sample cluster its README promises.</summary>
public sealed class DemoManifestsTests
{
    private static readonly string DemoFolder = FindDemoFolder();

    [Fact]
    public async Task Demo_LoadsWithNoErrorsOrWarnings()
    {
        await using var harness = await SourceHarness.StartAsync(DemoFolder);

        Assert.Empty(harness.Source.FileErrors);
        Assert.Empty(harness.Logger.At(LogLevel.Error));
        Assert.Empty(harness.Logger.At(LogLevel.Warning));
        Assert.True(harness.Sync.AllSynced);
    }

    [Fact]
    public async Task Demo_NamespacesIncludeTheOneOnlyReferenced()
    {
        await using var harness = await SourceHarness.StartAsync(DemoFolder);

        Assert.Equal(["data", "default", "kube-system", "prod"], harness.Sink.Keys(ObjectKind.Namespace).Select(k => k.Name));
    }

    [Fact]
    public async Task Demo_WebInDefault_HasTwoReadyAndOneNotReadyEndpoint()
    {
        await using var harness = await SourceHarness.StartAsync(DemoFolder);

        var web = harness.Sink.Service("default", "web")!;
        Assert.Equal([IPAddress.Parse("10.96.0.20")], web.ClusterIPs);
        Assert.Equal([("http", "TCP", 80), ("https", "TCP", 443)], web.Ports.Select(p => (p.Name!, p.Protocol, p.Port)));
        var slice = harness.Sink.Slice("default", "web-derived")!;
        Assert.Equal(
            [("10.244.1.10", true), ("10.244.1.11", true), ("10.244.1.12", false)],
            slice.Endpoints.Select(e => (e.Addresses[0].ToString(), e.Ready)).OrderBy(e => e.Item1, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Demo_WebInProd_HasItsOwnClusterIP()
    {
        await using var harness = await SourceHarness.StartAsync(DemoFolder);

        Assert.Equal([IPAddress.Parse("10.96.1.20")], harness.Sink.Service("prod", "web")!.ClusterIPs);
    }

    [Fact]
    public async Task Demo_Api_IsDualStackWithAnExplicitSlicePair()
    {
        await using var harness = await SourceHarness.StartAsync(DemoFolder);

        var api = harness.Sink.Service("default", "api")!;
        Assert.Equal([IPAddress.Parse("10.96.0.30"), IPAddress.Parse("fd00:96::30")], api.ClusterIPs);
        Assert.Equal("grpc", Assert.Single(api.Ports).Name);
        var v4 = harness.Sink.Slice("default", "api-ipv4")!;
        var v6 = harness.Sink.Slice("default", "api-ipv6")!;
        Assert.All([v4, v6], slice => Assert.Equal("api", slice.ServiceName));
        Assert.All(v4.Endpoints, e => Assert.Equal(System.Net.Sockets.AddressFamily.InterNetwork, e.Addresses[0].AddressFamily));
        Assert.All(v6.Endpoints, e => Assert.Equal(System.Net.Sockets.AddressFamily.InterNetworkV6, e.Addresses[0].AddressFamily));
        Assert.Null(harness.Sink.Slice("default", "api-derived"));
    }

    [Fact]
    public async Task Demo_Db_IsHeadlessWithNamedPods()
    {
        await using var harness = await SourceHarness.StartAsync(DemoFolder);

        var db = harness.Sink.Service("data", "db")!;
        Assert.True(db.IsHeadless);
        Assert.Equal(("postgres", 5432), (Assert.Single(db.Ports).Name!, db.Ports[0].Port));
        var slice = harness.Sink.Slice("data", "db-derived")!;
        Assert.Equal(
            [("db-0", "10.244.2.10", true), ("db-1", "10.244.2.11", true)],
            slice.Endpoints.Select(e => (e.Hostname!, e.Addresses[0].ToString(), e.Ready)));
    }

    [Fact]
    public async Task Demo_HeadlessCache_HasNoReadyEndpoint()
    {
        await using var harness = await SourceHarness.StartAsync(DemoFolder);

        Assert.True(harness.Sink.Service("data", "cache")!.IsHeadless);
        Assert.DoesNotContain(harness.Sink.Slice("data", "cache-derived")!.Endpoints, e => e.Ready);
    }

    [Fact]
    public async Task Demo_ExternalNames_PointOutsideAndInsideTheZone()
    {
        await using var harness = await SourceHarness.StartAsync(DemoFolder);

        Assert.Equal("www.example.org", harness.Sink.Service("default", "search")!.ExternalName);
        Assert.Equal("web.prod.svc.cluster.local", harness.Sink.Service("default", "web-alias")!.ExternalName);
        Assert.Null(harness.Sink.Slice("default", "search-derived"));
    }

    [Fact]
    public async Task Demo_KubeDns_HasTheConventionalAddressAndPorts()
    {
        await using var harness = await SourceHarness.StartAsync(DemoFolder);

        var dns = harness.Sink.Service("kube-system", "kube-dns")!;
        Assert.Equal([IPAddress.Parse("10.96.0.10")], dns.ClusterIPs);
        Assert.Equal([("dns", "UDP", 53), ("dns-tcp", "TCP", 53), ("metrics", "TCP", 9153)], dns.Ports.Select(p => (p.Name!, p.Protocol, p.Port)));
    }

    [Fact]
    public async Task Demo_IgnoresItsDeploymentStatefulSetAndConfigMap()
    {
        await using var harness = await SourceHarness.StartAsync(DemoFolder);

        var ignored = harness.Logger.At(LogLevel.Debug).Where(m => m.Contains("ignoring", StringComparison.Ordinal)).ToList();
        Assert.Contains(ignored, m => m.Contains("apps/v1 Deployment", StringComparison.Ordinal));
        Assert.Contains(ignored, m => m.Contains("apps/v1 StatefulSet", StringComparison.Ordinal));
        Assert.Contains(ignored, m => m.Contains("v1 ConfigMap", StringComparison.Ordinal));
    }

    internal static string FindDemoFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "manifests", "demo");
            if (File.Exists(Path.Combine(dir.FullName, "KubeDns.sln")) && Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("manifests/demo not found above " + AppContext.BaseDirectory);
    }
}
