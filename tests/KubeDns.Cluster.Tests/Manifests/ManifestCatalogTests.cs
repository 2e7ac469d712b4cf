using KubeDns.Cluster.Manifests;
using KubeDns.Cluster.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeDns.Cluster.Tests.Manifests;

/// <summary>
/// The catalog's bound on a file's size (a file over it is an error and keeps its last good content), and a
/// rewritten file's unchanged objects kept as the instances read before (one copy of each object, not two).
/// </summary>
public sealed class ManifestCatalogTests
{
    [Fact]
    public void AFileOverTheLimit_IsNotRead_AndKeepsItsLastGoodContent()
    {
        using var folder = new TempFolder();
        var path = folder.Write("a.yaml", Manifest.Service("prod", "web", "10.96.1.20"));
        var catalog = new ManifestCatalog(NullLogger.Instance, maxFileBytes: 2000);
        Assert.True(catalog.Refresh([path], new HashSet<string>(), readAll: false));

        folder.Write("a.yaml", Manifest.Service("prod", "web", "10.96.1.21") + "\n# " + new string('x', 3000) + "\n");
        catalog.Refresh([path], new HashSet<string> { path }, readAll: false);

        Assert.Contains("more than the 2,000 a manifest file may hold: split it", catalog.Errors[path], StringComparison.Ordinal);
        var kept = Assert.Single(Assert.Single(catalog.Files).Value);
        Assert.Equal("10.96.1.20", Assert.IsType<KubeDns.Cluster.Model.ServiceInfo>(kept.Value).ClusterIPs[0].ToString());
    }

    [Theory]
    [InlineData(true, "web-0")]
    [InlineData(false, null)]
    public void EndpointPodNames_AreKeptOnlyWhenWanted(bool keep, string? expected)
    {
        using var folder = new TempFolder();
        var path = folder.Write("slice.yaml", """
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata: {name: web-abc, namespace: prod, labels: {kubernetes.io/service-name: web}}
            addressType: IPv4
            endpoints:
            - addresses: [10.244.0.5]
              targetRef: {kind: Pod, name: web-0, namespace: prod}
            """);
        var catalog = new ManifestCatalog(NullLogger.Instance, keepEndpointPodNames: keep);

        catalog.Refresh([path], new HashSet<string>(), readAll: false);

        var slice = Assert.IsType<KubeDns.Cluster.Model.EndpointSliceInfo>(Assert.Single(Assert.Single(catalog.Files).Value).Value);
        Assert.Equal(expected, Assert.Single(slice.Endpoints).PodName);
        Assert.Equal("10.244.0.5", Assert.Single(Assert.Single(slice.Endpoints).Addresses).ToString());
    }

    [Fact]
    public void ARewrittenFile_KeepsTheEarlierInstanceOfEachUnchangedObject()
    {
        using var folder = new TempFolder();
        var path = folder.Write("a.yaml", Manifest.Service("prod", "web", "10.96.1.20") + "\n---\n" + Manifest.Service("prod", "api", "10.96.1.30"));
        var catalog = new ManifestCatalog(NullLogger.Instance);
        catalog.Refresh([path], new HashSet<string>(), readAll: false);
        var before = Assert.Single(catalog.Files).Value.ToDictionary(o => o.Key.Name, o => o.Value);

        folder.Write("a.yaml", Manifest.Service("prod", "web", "10.96.1.20") + "\n---\n" + Manifest.Service("prod", "api", "10.96.1.31"));
        catalog.Refresh([path], new HashSet<string> { path }, readAll: false);
        var after = Assert.Single(catalog.Files).Value.ToDictionary(o => o.Key.Name, o => o.Value);

        Assert.Same(before["web"], after["web"]);
        Assert.NotSame(before["api"], after["api"]);
        Assert.Equal("10.96.1.31", Assert.IsType<KubeDns.Cluster.Model.ServiceInfo>(after["api"]).ClusterIPs[0].ToString());
    }

    [Fact]
    public void AFileOnlyTheTreeReads_IsReadAgainFromDisk_AndKeepsItsUnchangedObjectsWithoutPodNames()
    {
        // An anchor makes the fast path give up after reading the stream; the tree reads the file a second time.
        const string Slice = """
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata: &meta {name: web-abc, namespace: prod, labels: {kubernetes.io/service-name: web}}
            addressType: IPv4
            endpoints:
            - addresses: [10.244.0.5]
              targetRef: {kind: Pod, name: web-0, namespace: prod}
            """;
        using var folder = new TempFolder();
        var path = folder.Write("a.yaml", Slice + "\n---\n" + Manifest.Service("prod", "api", "10.96.1.30"));
        Assert.Null(ManifestFastPath.TryParse(File.ReadAllText(path)));
        var catalog = new ManifestCatalog(NullLogger.Instance, keepEndpointPodNames: false);
        catalog.Refresh([path], new HashSet<string>(), readAll: false);
        var before = Assert.Single(catalog.Files).Value.ToDictionary(o => o.Key.Name, o => o.Value);

        folder.Write("a.yaml", Slice + "\n---\n" + Manifest.Service("prod", "api", "10.96.1.31"));
        catalog.Refresh([path], new HashSet<string> { path }, readAll: false);
        var after = Assert.Single(catalog.Files).Value.ToDictionary(o => o.Key.Name, o => o.Value);

        Assert.Empty(catalog.Errors);
        var slice = Assert.IsType<KubeDns.Cluster.Model.EndpointSliceInfo>(after["web-abc"]);
        Assert.Null(Assert.Single(slice.Endpoints).PodName);
        Assert.Same(before["web-abc"], slice);
        Assert.Equal("10.96.1.31", Assert.IsType<KubeDns.Cluster.Model.ServiceInfo>(after["api"]).ClusterIPs[0].ToString());
    }
}
